// The whole database schema. Migrations in migrations/ are generated from this file by drizzle-kit.
import { sql } from 'drizzle-orm';
import {
  bigserial,
  bigint,
  customType,
  index,
  pgTable,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

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

export const companies = pgTable(
  'companies',
  {
    id: uuid('id').primaryKey(),
    name: text('name').notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('companies_name_key').on(sql`lower(${t.name})`)],
);

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
});

export const rooms = pgTable(
  'rooms',
  {
    id: uuid('id').primaryKey(),
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
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
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex('event_companies_event_company_key').on(t.eventId, t.companyId)],
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
