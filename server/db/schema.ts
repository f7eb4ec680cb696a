// The whole database schema. Migrations in migrations/ are generated from this file by drizzle-kit.
import { sql } from 'drizzle-orm';
import {
  jsonb,
  bigserial,
  bigint,
  boolean,
  foreignKey,
  integer,
  primaryKey,
  customType,
  index,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import type { AssessmentTemplateBody } from '../../shared/assessment/template.ts';

/** bytea as Uint8Array on both drivers (pg returns Buffer, PGlite Uint8Array; both are Uint8Array). */
const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType: () => 'bytea',
  toDriver: (value) => Buffer.from(value.buffer, value.byteOffset, value.byteLength),
});

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey(),
    kind: text('kind', { enum: ['facilitator', 'participant'] }).notNull(),
    email: text('email'),
    passwordHash: text('password_hash'),
    displayName: text('display_name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('users_email_key').on(sql`lower(${t.email})`)],
);

export const sessions = pgTable(
  'sessions',
  {
    /** SHA-256 of the session token, hex. The token itself is never stored. */
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /** Sliding renewals never extend a session past this. */
    absoluteExpiresAt: timestamp('absolute_expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/**
 * A browser a participant joined from (「この端末を覚える」): it names the person again after their
 * sign-in has expired, so coming back to the next session of a series under the same name they
 * are themselves (their company, no approval), not a new person.
 */
export const devices = pgTable(
  'devices',
  {
    /** SHA-256 of the device token, hex. The token itself is never stored. */
    id: text('id').primaryKey(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('devices_user_idx').on(t.userId)],
);

export const companies = pgTable(
  'companies',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('companies_name_key').on(sql`lower(${t.name})`)],
);

/**
 * A study group or meetup series (定例会): its sessions are events. A company's work carries from
 * one session of a series to the next (worksheet, open take-home actions).
 */
export const series = pgTable('series', {
  id: uuid('id').primaryKey(),
  title: text('title').notNull(),
  createdBy: uuid('created_by')
    .notNull()
    .references(() => users.id),
  createdAt: createdAt(),
});

export const events = pgTable('events', {
  id: uuid('id').primaryKey(),
  title: text('title').notNull(),
  /** The day of the study session, YYYY-MM-DD. */
  date: text('date').notNull(),
  status: text('status', { enum: ['open', 'closed'] }).notNull().default('open'),
  /** Short invite code; null when revoked. Shown to facilitators, so stored as is. */
  joinCode: text('join_code').unique(),
  createdBy: uuid('created_by')
    .notNull()
    .references(() => users.id),
  createdAt: createdAt(),
  closedAt: timestamp('closed_at', { withTimezone: true }),
  /**
   * Companies locked: participants can no longer create a company, and joining an existing one
   * needs that company's invite code or a facilitator's approval.
   */
  companiesLocked: boolean('companies_locked').notNull().default(false),
  /** A monthly study session for one room, or an online meetup with breakout rooms. */
  kind: text('kind', { enum: ['study', 'meetup'] }).notNull().default('study'),
  /** テーマ of the session, e.g. 「顧客とデータ」. */
  theme: text('theme'),
  /** Elements the session covers (others are shown quieter); empty = all. */
  coveredElements: jsonb('covered_elements').$type<string[]>().notNull().default([]),
  /** Other companies' scores are not sent to a browser until a facilitator reveals them. */
  scoresHidden: boolean('scores_hidden').notNull().default(false),
  /** assigned: facilitators seat companies; self-select: participants pick a room. */
  roomMode: text('room_mode', { enum: ['assigned', 'self-select'] }).notNull().default('assigned'),
  /** breakout → closing (countdown to the plenary) → plenary. */
  phase: text('phase', { enum: ['breakout', 'closing', 'plenary'] }).notNull().default('breakout'),
  phaseEndsAt: timestamp('phase_ends_at', { withTimezone: true }),
  /** What the facilitator put in everyone's view in the plenary: a card or an element. */
  spotlight: jsonb('spotlight').$type<{ kind: 'card'; docName: string; cardId: string } | { kind: 'element'; element: string } | null>(),
  /** The agenda's steps; null = the default agenda (shared/meetup/clock.ts). */
  agenda: jsonb('agenda').$type<Array<{ title: { ja: string; en: string }; durationMinutes: number }> | null>(),
  clockStatus: text('clock_status', { enum: ['idle', 'running', 'paused'] }).notNull().default('idle'),
  clockStepIndex: integer('clock_step_index'),
  clockEndsAt: timestamp('clock_ends_at', { withTimezone: true, precision: 3 }),
  clockPausedRemainingMs: integer('clock_paused_remaining_ms'),
  /** The series this session belongs to (null: a one-off event). */
  seriesId: uuid('series_id').references(() => series.id, { onDelete: 'set null' }),
  /** Whether companies score the diagram's elements 0–3 (our adaptation; a session may turn it off). */
  elementScoring: boolean('element_scoring').notNull().default(true),
  /**
   * Counts the changes of the live meetup state (clock, phase, rooms, banners, done marks): every
   * change bumps it in its transaction, so a browser keeps the newest state whatever order pushes
   * from different nodes, or a held push and a reply, arrive in.
   */
  stateRevision: bigint('state_revision', { mode: 'number' }).notNull().default(0),
});

export const rooms = pgTable(
  'rooms',
  {
    id: uuid('id').primaryKey(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** Scores of this room's companies have been revealed to each other. */
    scoresRevealed: boolean('scores_revealed').notNull().default(false),
    createdAt: createdAt(),
  },
  (t) => [index('rooms_event_idx').on(t.eventId)],
);

/** A company taking part in one event. Its id names the company's worksheet document. */
export const eventCompanies = pgTable(
  'event_companies',
  {
    id: uuid('id').primaryKey(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id),
    /** The breakout room the company sits in; null until assigned. */
    roomId: uuid('room_id').references(() => rooms.id, { onDelete: 'set null' }),
    /** Per-company invite code: joins this company even while the event's companies are locked. */
    inviteCode: text('invite_code').unique(),
    /**
     * The company's previous session in the series whose worksheet was copied in (「前回から引き継ぎ」);
     * null when it started blank.
     */
    carriedFrom: uuid('carried_from'),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex('event_companies_event_company_key').on(t.eventId, t.companyId),
    foreignKey({ columns: [t.carriedFrom], foreignColumns: [t.id] }).onDelete('set null'),
  ],
);

export const eventMembers = pgTable(
  'event_members',
  {
    id: uuid('id').primaryKey(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** Null for facilitators and observers who speak for no company. */
    eventCompanyId: uuid('event_company_id').references(() => eventCompanies.id, { onDelete: 'cascade' }),
    role: text('role', { enum: ['facilitator', 'participant', 'observer'] }).notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('event_members_event_user_key').on(t.eventId, t.userId)],
);

/** Yjs updates appended as they arrive; compacted into yjs_snapshots when the tail grows. */
export const yjsUpdates = pgTable(
  'yjs_updates',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    docName: text('doc_name').notNull(),
    update: bytea('update').notNull(),
    createdAt: createdAt(),
  },
  (t) => [index('yjs_updates_doc_idx').on(t.docName, t.id)],
);

export const yjsSnapshots = pgTable('yjs_snapshots', {
  docName: text('doc_name').primaryKey(),
  state: bytea('state').notNull(),
  /** Every update with id <= this is contained in state. */
  lastUpdateId: bigint('last_update_id', { mode: 'number' }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Current self-assessment score (0–3, null = explicitly cleared) per company and element. */
export const scores = pgTable(
  'scores',
  {
    eventCompanyId: uuid('event_company_id')
      .notNull()
      .references(() => eventCompanies.id, { onDelete: 'cascade' }),
    element: text('element').notNull(),
    value: smallint('value'),
    setBy: uuid('set_by').references(() => users.id, { onDelete: 'set null' }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('scores_company_element_key').on(t.eventCompanyId, t.element)],
);

/** Every score change, kept so a company can follow its scores across sessions (PDCA). */
export const scoreHistory = pgTable(
  'score_history',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    eventCompanyId: uuid('event_company_id')
      .notNull()
      .references(() => eventCompanies.id, { onDelete: 'cascade' }),
    element: text('element').notNull(),
    value: smallint('value'),
    setBy: uuid('set_by').references(() => users.id, { onDelete: 'set null' }),
    setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('score_history_company_idx').on(t.eventCompanyId, t.element, t.id)],
);

/** A Yjs row (update or snapshot) that could not be applied: kept for inspection, out of the load path. */
export const yjsQuarantine = pgTable('yjs_quarantine', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  docName: text('doc_name').notNull(),
  source: text('source', { enum: ['update', 'snapshot'] }).notNull(),
  data: bytea('data').notNull(),
  reason: text('reason').notNull(),
  createdAt: createdAt(),
});

/**
 * Who wrote each 気付き card and when, as the server saw it: the card's text lives in a Yjs
 * document owned by one party, its authorship here (clients never write these fields).
 */
export const cards = pgTable(
  'cards',
  {
    docName: text('doc_name').notNull(),
    cardId: text('card_id').notNull(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    /** The owning company (null for a card on the facilitators' room document). */
    eventCompanyId: uuid('event_company_id').references(() => eventCompanies.id, { onDelete: 'cascade' }),
    element: text('element').notNull(),
    authorId: uuid('author_id').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id, { onDelete: 'set null' }),
    deletedAt: timestamp('deleted_at', { withTimezone: true }),
  },
  (t) => [primaryKey({ columns: [t.docName, t.cardId] }), index('cards_event_idx').on(t.eventId)],
);

/** 共感 reactions: one per person and card, the person taken from the session. */
export const cardReactions = pgTable(
  'card_reactions',
  {
    docName: text('doc_name').notNull(),
    cardId: text('card_id').notNull(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    createdAt: createdAt(),
  },
  (t) => [
    primaryKey({ columns: [t.docName, t.cardId, t.userId] }),
    foreignKey({ columns: [t.docName, t.cardId], foreignColumns: [cards.docName, cards.cardId] }).onDelete('cascade'),
    index('card_reactions_event_idx').on(t.eventId),
  ],
);

/** Failed sign-ins per account (lower-cased email): drives the per-account back-off. */
export const loginThrottle = pgTable('login_throttle', {
  account: text('account').primaryKey(),
  failures: integer('failures').notNull().default(0),
  lastFailureAt: timestamp('last_failure_at', { withTimezone: true }).notNull().defaultNow(),
  blockedUntil: timestamp('blocked_until', { withTimezone: true }),
});

/**
 * A participant asking to join a company of an event (locked, or a company with history elsewhere
 * claimed first); a facilitator decides.
 */
export const joinRequests = pgTable(
  'join_requests',
  {
    id: uuid('id').primaryKey(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    /**
     * The company asked for. Not its participation in the event (event_companies): a company is in
     * a session only once someone of it is let in or a facilitator adds it, so a waiting or refused
     * claim leaves no row there; approving the request adds the company (joinCompanyToEvent).
     * Null for a refused request whose company nothing else named (a name the requester made up):
     * that company was deleted with the refusal (dropUnusedCompany). A pending request names one.
     */
    companyId: uuid('company_id').references(() => companies.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    status: text('status', { enum: ['pending', 'approved', 'rejected'] }).notNull().default('pending'),
    /**
     * The requester said to join anyway though someone of their name is in the company
     * (confirmSameName): approval then does not refuse them for it (409 'same-name').
     */
    sameNameConfirmed: boolean('same_name_confirmed').notNull().default(false),
    createdAt: createdAt(),
    decidedAt: timestamp('decided_at', { withTimezone: true }),
    decidedBy: uuid('decided_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('join_requests_event_idx').on(t.eventId), uniqueIndex('join_requests_event_user_key').on(t.eventId, t.userId)],
);

/** One-off data migrations that already ran (e.g. moving room-board cards to company documents). */
export const dataMigrations = pgTable('data_migrations', {
  name: text('name').primaryKey(),
  doneAt: timestamp('done_at', { withTimezone: true }).notNull().defaultNow(),
});

/** "Ask for help" from a room, shown on the facilitator console until handled. */
export const helpRequests = pgTable(
  'help_requests',
  {
    id: uuid('id').primaryKey(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    roomId: uuid('room_id').references(() => rooms.id, { onDelete: 'set null' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    text: text('text').notNull().default(''),
    createdAt: createdAt(),
    handledAt: timestamp('handled_at', { withTimezone: true }),
    handledBy: uuid('handled_by').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('help_requests_event_idx').on(t.eventId)],
);

/** A facilitator's short message to all rooms or one room, shown as a banner until dismissed. */
export const broadcasts = pgTable(
  'broadcasts',
  {
    id: uuid('id').primaryKey(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    /** null = every room. */
    roomId: uuid('room_id').references(() => rooms.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    /**
     * Taken back by a facilitator (banner:remove): kept as a row, so the window of the latest
     * banners does not slide back over an older one.
     */
    removedAt: timestamp('removed_at', { withTimezone: true }),
  },
  (t) => [index('broadcasts_event_idx').on(t.eventId)],
);

/** "Done" with an agenda step, per person; the current step's rows are the done count. */
export const stepDone = pgTable(
  'step_done',
  {
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    stepIndex: integer('step_index').notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.eventId, t.userId, t.stepIndex] })],
);

/**
 * A facilitator's CRM practice assessment template (categories → questions, shared/assessment/).
 * Assessments copy the body when made, so editing a template never changes past results.
 */
export const assessmentTemplates = pgTable(
  'assessment_templates',
  {
    id: uuid('id').primaryKey(),
    ownerId: uuid('owner_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    body: jsonb('body').$type<AssessmentTemplateBody>().notNull(),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('assessment_templates_owner_idx').on(t.ownerId)],
);

/**
 * One company's filled assessment, inside a session (event_id) or on its own. The company settles
 * one answer per question (`answers`); its members' individual scores are assessment_votes.
 */
export const assessments = pgTable(
  'assessments',
  {
    id: uuid('id').primaryKey(),
    companyId: uuid('company_id')
      .notNull()
      .references(() => companies.id, { onDelete: 'cascade' }),
    eventId: uuid('event_id').references(() => events.id, { onDelete: 'set null' }),
    templateId: uuid('template_id').references(() => assessmentTemplates.id, { onDelete: 'set null' }),
    title: text('title').notNull(),
    /** The template as it was when the assessment was made. */
    template: jsonb('template').$type<AssessmentTemplateBody>().notNull(),
    /** Settled answer (0–3, one of the four meanings) per question id. */
    answers: jsonb('answers').$type<Record<string, number>>().notNull().default({}),
    createdBy: uuid('created_by').references(() => users.id, { onDelete: 'set null' }),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('assessments_company_idx').on(t.companyId, t.createdAt)],
);

/** A member's own score for one question of an assessment, before the company settles it. */
export const assessmentVotes = pgTable(
  'assessment_votes',
  {
    assessmentId: uuid('assessment_id')
      .notNull()
      .references(() => assessments.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    questionId: text('question_id').notNull(),
    value: smallint('value').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.assessmentId, t.userId, t.questionId] })],
);

/**
 * 持ち帰り: what a company takes home from a session for one element, with an owner (a member), a
 * due date and a status. At the company's next session of the series, open ones are reviewed:
 * done, carried over (a copy in the new session, linked by carried_from_action_id) or dropped.
 */
export const takeHomeActions = pgTable(
  'take_home_actions',
  {
    id: uuid('id').primaryKey(),
    eventCompanyId: uuid('event_company_id')
      .notNull()
      .references(() => eventCompanies.id, { onDelete: 'cascade' }),
    element: text('element').notNull(),
    text: text('text').notNull(),
    ownerUserId: uuid('owner_user_id').references(() => users.id, { onDelete: 'set null' }),
    /** YYYY-MM-DD */
    dueDate: text('due_date'),
    status: text('status', { enum: ['open', 'done', 'carried', 'dropped'] }).notNull().default('open'),
    /** The 気付き card it was made from, if any. */
    sourceCardId: text('source_card_id'),
    carriedFromActionId: uuid('carried_from_action_id'),
    /**
     * A carried copy: who owned the action last session. Shown while the copy has no owner, and the
     * copy goes to that person when they join this session's company (they were not yet a member
     * when it was carried).
     */
    previousOwnerUserId: uuid('previous_owner_user_id').references(() => users.id, { onDelete: 'set null' }),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: createdAt(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('take_home_actions_company_idx').on(t.eventCompanyId),
    foreignKey({ columns: [t.carriedFromActionId], foreignColumns: [t.id] }).onDelete('set null'),
  ],
);
