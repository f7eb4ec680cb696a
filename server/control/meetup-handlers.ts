// The facilitated meetup's commands: agenda and clock, settings, reveal, banners, done marks,
// help requests, summon, phase and spotlight. Each validates the payload (schema) and the
// caller's role, writes PostgreSQL in one transaction (the event row locked, so two facilitators
// never interleave), then publishes a domain event; subscribers push it to the right sockets.
import type { Socket } from 'socket.io';
import { and, eq } from 'drizzle-orm';
import type { Static, TSchema } from 'typebox';
import type { Db } from '../db/client.ts';
import { events, rooms, stepDone } from '../db/schema.ts';
import type { SessionUser } from '../auth/session.ts';
import { findMembership, type Membership } from '../access/membership.ts';
import * as meetup from '../domain/meetup.ts';
import { extend, pause, resume, startStep, type ClockState } from '../../shared/meetup/clock.ts';
import * as schemas from '../../shared/schemas/control.ts';
import type { DomainEvent } from '../../shared/protocol/domain-events.ts';
import type { MeetupState } from '../../shared/protocol/meetup.ts';
import { badRequest, conflict, forbidden, HttpError, notFound } from '../errors.ts';
import { EVENT_CLOSED, FACILITATORS_ONLY, NOT_A_MEMBER } from './guards.ts';
import { findLiveCard } from '../domain/cards.ts';
import { findEventCompany } from '../domain/events.ts';
import { hasRoomBanners, stateForRoom } from '../../shared/meetup/state-view.ts';
import { onInstant, onValidated, type HandlerLogger } from './define-handler.ts';
import { tokenBucket } from './socket-limits.ts';
import { settleAndPublish } from './phase-timer.ts';
import { isExpiredClosing } from '../../shared/meetup/phase.ts';
import { enterPlenary } from '../domain/phase.ts';

type Publish = (event: DomainEvent) => Promise<void>;

const NO_STEP_YET = 'まだステップが始まっていません / No step has started yet';
type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const HELP_QUEUE_FULL = `ヘルプの依頼が多すぎます（最大${meetup.MAX_OPEN_HELP_REQUESTS}件）。ファシリテーターの対応をお待ちください / Too many open help requests in this session (at most ${meetup.MAX_OPEN_HELP_REQUESTS}). Wait until a facilitator handles some`;

export function registerMeetupHandlers(socket: Socket, db: Db, user: SessionUser, log: HandlerLogger, publish: Publish): void {
  /** Per socket: plenty for a facilitator clicking, far too few to flood everyone's browsers. */
  const commands = tokenBucket(30, 30 / 10_000);

  async function member(eventId: string): Promise<Membership> {
    const found = await findMembership(db, eventId, user.id);
    if (!found) throw forbidden(NOT_A_MEMBER);
    return found;
  }

  /** The caller as the event's facilitator; refused once the event is closed unless `evenIfClosed`. */
  async function facilitator(eventId: string, { evenIfClosed = false } = {}): Promise<Membership> {
    const found = await member(eventId);
    if (found.role !== 'facilitator') throw forbidden(FACILITATORS_ONLY);
    if (found.eventStatus === 'closed' && !evenIfClosed) throw conflict(EVENT_CLOSED);
    return found;
  }

  /**
   * Runs a change with the event row locked, then publishes the new state to everyone; unless
   * `apply` found nothing to change ('unchanged'): then nobody is told (the caller gets the state).
   */
  async function change(
    eventId: string,
    apply: (tx: Tx, event: Awaited<ReturnType<typeof meetup.lockEvent>>) => Promise<void | 'unchanged'>,
  ): Promise<MeetupState> {
    const outcome = await db.transaction(async (tx) => {
      const event = await meetup.lockEvent(tx as unknown as Db, eventId);
      // Checked again under the lock: a close that committed after the caller's check wins.
      if (event.status === 'closed') throw conflict(EVENT_CLOSED);
      const outcome = await apply(tx, event);
      if (outcome !== 'unchanged') await meetup.bumpStateRevision(tx as unknown as Db, eventId);
      return outcome;
    });
    const state = await meetup.getMeetupState(db, eventId);
    if (outcome !== 'unchanged') await publish({ type: 'meetup.changed', eventId, state });
    return state;
  }

  /** A facilitator-only command that changes the meetup state. */
  function facilitatorCommand<S extends TSchema>(
    name: string,
    schema: S,
    apply: (payload: Static<S> & { eventId: string }, tx: Tx, event: Awaited<ReturnType<typeof meetup.lockEvent>>) => Promise<void | 'unchanged'>,
  ): void {
    onValidated(socket, log, name, schema, async (payload) => {
      const p = payload as Static<S> & { eventId: string };
      if (!commands.take()) throw new HttpError(429, '操作が速すぎます。少し待ってください / Too many actions, slow down');
      await facilitator(p.eventId);
      return { state: await change(p.eventId, (tx, event) => apply(p, tx, event)) };
    });
  }

  /** The open help requests to the facilitators; `added` plays their cue (a new request). */
  async function publishHelp(eventId: string, added: boolean): Promise<void> {
    await publish({ type: 'help.changed', eventId, requests: await meetup.openHelpRequests(db, eventId), added });
  }

  async function saveClock(tx: Tx, eventId: string, clock: ClockState): Promise<void> {
    await meetup.saveClock(tx as unknown as Db, eventId, clock);
  }

  onInstant(socket, 'time:sync', () => ({ serverTime: Date.now() }));

  /** The state as this member may see it: a participant's copy carries only their room's banners. */
  async function seenBy(me: Membership, state: MeetupState): Promise<MeetupState> {
    if (me.role === 'facilitator' || !hasRoomBanners(state)) return state;
    const company = me.eventCompanyId ? await findEventCompany(db, state.eventId, me.eventCompanyId) : undefined;
    return stateForRoom(state, company?.roomId ?? null);
  }

  onValidated(socket, log, 'meetup:get', schemas.EventOnlyPayload, async ({ eventId }) => {
    const me = await member(eventId);
    const help = me.role === 'facilitator' ? await meetup.openHelpRequests(db, eventId) : [];
    const state = await meetup.getMeetupState(db, eventId);
    // A countdown that ran out with no timer to end it (a restart, another node) ends when read.
    if (isExpiredClosing(state, Date.now()) && (await settleAndPublish(db, publish, eventId)).settled) return { state: await seenBy(me, await meetup.getMeetupState(db, eventId)), help };
    return { state: await seenBy(me, state), help };
  });

  facilitatorCommand('meetup:settings', schemas.SettingsPayload, async (p, tx) => {
    const set: Partial<typeof events.$inferInsert> = {};
    if (p.theme !== undefined) set.theme = p.theme === null || p.theme.trim() === '' ? null : p.theme.trim();
    if (p.coveredElements !== undefined) set.coveredElements = p.coveredElements;
    if (p.scoresHidden !== undefined) set.scoresHidden = p.scoresHidden;
    // Hiding again (a new round) starts every room unrevealed.
    if (p.scoresHidden === true) await tx.update(rooms).set({ scoresRevealed: false }).where(eq(rooms.eventId, p.eventId));
    if (p.roomMode !== undefined) set.roomMode = p.roomMode;
    if (p.elementScoring !== undefined) set.elementScoring = p.elementScoring;
    if (Object.keys(set).length > 0) await tx.update(events).set(set).where(eq(events.id, p.eventId));
  });

  facilitatorCommand('agenda:set', schemas.AgendaSetPayload, async (p, tx, event) => {
    if (event.clockStepIndex !== null && event.clockStepIndex >= p.steps.length) {
      throw badRequest('進行中のステップを削除することはできません / The running step cannot be removed');
    }
    await tx.update(events).set({ agenda: p.steps }).where(eq(events.id, p.eventId));
  });

  facilitatorCommand('clock:start', schemas.ClockStartPayload, async (p, tx, event) => {
    const step = meetup.agendaOf(event)[p.stepIndex];
    if (!step) throw badRequest('stepIndex: そのステップはありません / No such step');
    await saveClock(tx, p.eventId, startStep(p.stepIndex, step.durationMinutes * 60_000, Date.now()));
  });

  facilitatorCommand('clock:next', schemas.EventOnlyPayload, async (p, tx, event) => {
    const agenda = meetup.agendaOf(event);
    const next = event.clockStepIndex === null ? 0 : event.clockStepIndex + 1;
    const step = agenda[next];
    if (!step) throw conflict('最後のステップです / This is the last step');
    await saveClock(tx, p.eventId, startStep(next, step.durationMinutes * 60_000, Date.now()));
  });

  facilitatorCommand('clock:pause', schemas.EventOnlyPayload, async (p, tx, event) => {
    await saveClock(tx, p.eventId, pause(meetup.clockOf(event), Date.now()));
  });

  facilitatorCommand('clock:resume', schemas.EventOnlyPayload, async (p, tx, event) => {
    await saveClock(tx, p.eventId, resume(meetup.clockOf(event), Date.now()));
  });

  facilitatorCommand('clock:extend', schemas.ClockExtendPayload, async (p, tx, event) => {
    const clock = meetup.clockOf(event);
    if (clock.status === 'idle') throw conflict('タイマーが動いていません / The clock is not running');
    await saveClock(tx, p.eventId, extend(clock, p.minutes * 60_000, Date.now()));
  });

  // Also after the event closed: a session ended before a room's hidden scores were revealed would
  // otherwise keep them hidden for good (the walkthrough). Revealing changes what members may read,
  // not what was written, so the closed record stays as it was.
  onValidated(socket, log, 'scores:reveal', schemas.RevealPayload, async ({ eventId, roomId }) => {
    if (!commands.take()) throw new HttpError(429, '操作が速すぎます / Too many actions, slow down');
    await facilitator(eventId, { evenIfClosed: true });
    await db.transaction(async (tx) => {
      await meetup.lockEvent(tx as unknown as Db, eventId);
      const where = roomId ? and(eq(rooms.eventId, eventId), eq(rooms.id, roomId)) : eq(rooms.eventId, eventId);
      const updated = await tx.update(rooms).set({ scoresRevealed: true }).where(where).returning({ id: rooms.id });
      if (roomId && updated.length === 0) throw badRequest('roomId: この会のルームではありません / not a room of this session');
      // Revealed to all: every company sees every company's scores (the plenary compares them all).
      if (!roomId) await tx.update(events).set({ scoresHidden: false }).where(eq(events.id, eventId));
      await meetup.bumpStateRevision(tx as unknown as Db, eventId);
    });
    // The reveal first (clients fetch the scores), then the state with the rooms' reveal flags.
    await publish({ type: 'scores.revealed', eventId, roomId });
    const state = await meetup.getMeetupState(db, eventId);
    await publish({ type: 'meetup.changed', eventId, state });
    return { state };
  });

  facilitatorCommand('banner:send', schemas.BannerPayload, async (p, tx) => {
    if (p.roomId) await roomOfEvent(tx, p.eventId, p.roomId);
    await meetup.addBanner(tx as unknown as Db, { eventId: p.eventId, roomId: p.roomId, text: p.text.trim(), userId: user.id });
  });

  facilitatorCommand('banner:remove', schemas.BannerRemovePayload, async (p, tx) =>
    (await meetup.removeBanner(tx as unknown as Db, p.eventId, p.bannerId)) ? undefined : 'unchanged',
  );

  facilitatorCommand('phase:set', schemas.PhasePayload, async (p, tx, event) => {
    // Into the plenary: the agenda follows (its 全体共有 step, or the step clock stops). Back to
    // the breakout (or the plenary again): the clock stays where it is, never jumping back.
    if (p.phase === 'plenary' && event.phase !== 'plenary') return enterPlenary(tx as unknown as Db, event, Date.now());
    const phaseEndsAt = p.phase === 'closing' ? new Date(Date.now() + (p.seconds ?? 60) * 1000) : null;
    await tx.update(events).set({ phase: p.phase, phaseEndsAt, ...(p.phase === 'breakout' ? { spotlight: null } : {}) }).where(eq(events.id, p.eventId));
  });

  facilitatorCommand('spotlight:set', schemas.SpotlightPayload, async (p, tx) => {
    if (p.spotlight?.kind === 'card' && !(await findLiveCard(tx as unknown as Db, p.eventId, p.spotlight.docName, p.spotlight.cardId))) {
      throw notFound('カードが見つかりません / No such card');
    }
    await tx.update(events).set({ spotlight: p.spotlight }).where(eq(events.id, p.eventId));
  });

  onValidated(socket, log, 'step:done', schemas.DonePayload, async ({ eventId, done }) => {
    if (!commands.take()) throw new HttpError(429, '操作が速すぎます / Too many actions, slow down');
    const me = await member(eventId);
    if (me.eventStatus === 'closed') throw conflict(EVENT_CLOSED);
    // The mark as it already is (a double click, a replay, a flood): no lock, no write, no push.
    const [now] = await db.select({ stepIndex: events.clockStepIndex }).from(events).where(eq(events.id, eventId));
    if (now?.stepIndex === null) throw conflict(NO_STEP_YET);
    if (now && (await isDone(db, eventId, now.stepIndex)) === done) return { state: await seenBy(me, await meetup.getMeetupState(db, eventId)) };
    const state = await change(eventId, async (tx, event) => {
      if (event.clockStepIndex === null) throw conflict(NO_STEP_YET);
      // Checked again under the lock: another tab of the same person may have just marked it.
      if ((await isDone(tx as unknown as Db, eventId, event.clockStepIndex)) === done) return 'unchanged';
      await meetup.setDone(tx as unknown as Db, { eventId, userId: user.id, stepIndex: event.clockStepIndex, done });
    });
    return { state: await seenBy(me, state) };
  });

  async function isDone(q: Db, eventId: string, stepIndex: number): Promise<boolean> {
    const [row] = await q
      .select({ stepIndex: stepDone.stepIndex })
      .from(stepDone)
      .where(and(eq(stepDone.eventId, eventId), eq(stepDone.userId, user.id), eq(stepDone.stepIndex, stepIndex)))
      .limit(1);
    return row !== undefined;
  }

  /**
   * Asks the facilitators for help. One open request per person and event: asking again while it
   * is open replaces its text (answered ok; it keeps its place in the queue and the facilitators
   * get the new list without the cue), the same text again changes nothing and pushes nothing.
   * At most MAX_OPEN_HELP_REQUESTS are open per event; beyond that refused (409, the HELP_QUEUE_FULL
   * message) until a facilitator handles some. Each change pushes the whole open list to every facilitator
   * socket, so a flood of requests must not grow it (1,888 from one person made 820 KB pushes).
   */
  onValidated(socket, log, 'help:request', schemas.HelpRequestPayload, async ({ eventId, text }) => {
    if (!commands.take()) throw new HttpError(429, '操作が速すぎます / Too many actions, slow down');
    const me = await member(eventId);
    if (me.eventStatus === 'closed') throw conflict(EVENT_CLOSED);
    const roomId = await meetup.roomOfMember(db, me.eventCompanyId);
    const asked = await meetup.askForHelp(db, { eventId, roomId, userId: user.id, text: text.trim() });
    if (asked === 'full') throw conflict(HELP_QUEUE_FULL);
    if (asked === 'closed') throw conflict(EVENT_CLOSED);
    if (asked !== 'unchanged') await publishHelp(eventId, asked === 'added');
    return {};
  });

  onValidated(socket, log, 'help:handle', schemas.HelpHandlePayload, async ({ eventId, helpId }) => {
    await facilitator(eventId);
    const asker = await meetup.handleHelpRequest(db, eventId, helpId, user.id);
    if (!asker) throw conflict('対応済みか、見つかりません / Already handled or not found');
    await publishHelp(eventId, false);
    await publish({ type: 'help.handled', eventId, helpId, ...asker });
    return {};
  });

  onValidated(socket, log, 'summon', schemas.SummonPayload, async ({ eventId, roomId, target }) => {
    if (!commands.take()) throw new HttpError(429, '操作が速すぎます / Too many actions, slow down');
    await facilitator(eventId);
    if (roomId) await roomOfEvent(db as unknown as Tx, eventId, roomId);
    await publish({ type: 'summoned', eventId, roomId, target: target as { element: never; tab: 'element' | 'comparison' } });
    return {};
  });
}

async function roomOfEvent(tx: Tx, eventId: string, roomId: string): Promise<void> {
  const [room] = await tx.select({ id: rooms.id }).from(rooms).where(and(eq(rooms.id, roomId), eq(rooms.eventId, eventId)));
  if (!room) throw badRequest('roomId: この会のルームではありません / not a room of this session');
}
