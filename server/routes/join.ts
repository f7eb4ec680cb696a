// Participants join with an invite link / join code: no password, just a name and a company.
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { randomUUID } from 'node:crypto';
import { ErrorResponse, JoinCodeParams, JoinInfo, JoinRequest, JoinResponse } from '../../shared/schemas/api.ts';
import { JoinPending, JoinRequestIdParams, JoinRequestState } from '../../shared/schemas/members.ts';
import { normalizeJoinCode } from '../../shared/jcrm/join-code.ts';
import { INVITE_CODE_LENGTH } from '../../shared/jcrm/invite-code.ts';
import { eventMembers } from '../db/schema.ts';
import type { Db } from '../db/client.ts';
import { findMembership, type Membership } from '../access/membership.ts';
import type { SessionUser } from '../auth/session.ts';
import { createParticipant, publicUser } from '../domain/users.ts';
import * as eventsDomain from '../domain/events.ts';
import { carryOverWorksheet } from '../domain/carry-over.ts';
import { assignCarriedActions } from '../domain/actions.ts';
import * as membersDomain from '../domain/members.ts';
import { requireUser } from '../plugins/auth.ts';
import { badRequest, conflict, forbidden, gone, HttpError, notFound } from '../errors.ts';
import { NEW_COMPANIES_PER_ADDRESS, NewCompanyLimit } from '../security/new-company-limit.ts';

export interface JoinRouteOptions {
  joinPerMinute: number;
}

const errors = { 400: ErrorResponse, 401: ErrorResponse, 403: ErrorResponse, 404: ErrorResponse, 409: ErrorResponse, 410: ErrorResponse, 429: ErrorResponse };
const NOT_OF_EVENT = 'eventCompanyId: この会社はこの会に参加していません / not a company of this session';
const ALREADY_MEMBER =
  '既にこの会に会社なしで参加しています。この会のページを直接開いてください / You already take part in this session without a company; open the session directly';
const UNKNOWN_CODE = '参加コードが見つからないか、無効です / This join code is unknown or no longer valid';
const TOO_MANY_NEW_COMPANIES =
  `この接続元からこの会に登録できる新しい会社は${NEW_COMPANIES_PER_ADDRESS}社までです。参加している会社を選ぶか、ファシリテーターに追加を依頼してください / ` +
  `At most ${NEW_COMPANIES_PER_ADDRESS} new companies may join this session from one address; pick a company already taking part, or ask the facilitator to add yours`;
/** A right code for a session that has ended: not the "check the code" message, or people retype it. */
const SESSION_ENDED = 'この会は終了しました。参加コードは使えなくなっています / This session has ended; its join code can no longer be used';
const LOCKED_NEW_COMPANY =
  'この会は新しい会社の参加を締め切っています。参加している会社を選んでください / This session takes no new companies; pick one of the companies taking part';
const NOT_INVITED_COMPANY = 'eventCompanyId: この招待コードは別の会社のものです / This invite code is for another company';
/** A company name sent with an invite code (which already says the company). */
const inviteTakesNoName = (company: string) =>
  `companyName: この招待コードは「${company}」への参加用です。会社名を入力せずに参加してください / This invite code joins “${company}”; join without typing a company name`;
const SIGNED_IN_AS_FACILITATOR =
  'このブラウザはファシリテーターとしてログインしています。参加者として参加するには、別のブラウザ（シークレットウィンドウなど）で開いてください / ' +
  'This browser is signed in as a facilitator. To join as a participant, open the link in another browser (e.g. a private window)';
const JOIN_RACE_LOST =
  '同じ参加手続きが同時に行われました。もう一度お試しください / Another join from this browser happened at the same moment; please try again';

/**
 * Someone of this name already takes part for the company, from another browser: often the same
 * person on a second device, who would otherwise become a second member nobody can tell apart.
 * The join page asks them to tell the two apart, or to join anyway (confirmSameName).
 */
function sameNameTaken(name: string) {
  return new HttpError(
    409,
    `この会社には既に「${name}」さんが参加しています。別の端末から参加する場合は、区別できるお名前（例：${name}（スマホ））で参加してください / ` +
      `“${name}” already takes part for this company. If you are joining from another device, use a name that tells the two apart (e.g. “${name} (phone)”)`,
    'same-name',
    { field: 'displayName' },
  );
}

/**
 * Thrown inside the join's transaction when a concurrent join by the same person became a member
 * first: it rolls back what this one wrote (a new company would be left without members).
 */
class LostJoinRace extends Error {}

/** What a code opens: an event (its join code), or one company of it (that company's invite code). */
interface JoinTarget {
  event: { id: string; title: string; date: string; companiesLocked: boolean };
  invite: { eventCompanyId: string; companyId: string; name: string } | null;
}

export const joinRoutes: FastifyPluginAsyncTypebox<JoinRouteOptions> = async (app, { joinPerMinute }) => {
  const limited = { rateLimit: { max: joinPerMinute, timeWindow: '1 minute' } };
  const newCompanies = new NewCompanyLimit();

  /** The open session a code opens; null for an unknown code; 410 for a session that has ended. */
  async function findTarget(code: string): Promise<JoinTarget | null> {
    const normalized = normalizeJoinCode(code);
    if (normalized.length === INVITE_CODE_LENGTH) {
      const found = await membersDomain.findEventByInviteCode(app.db, normalized);
      if (!found) return null;
      const { eventCompanyId, companyId, companyName, status, ...event } = found;
      if (status !== 'open') throw gone(SESSION_ENDED);
      return { event, invite: { eventCompanyId, companyId, name: companyName } };
    }
    const found = await eventsDomain.findEventByJoinCode(app.db, normalized);
    if (!found) return null;
    const { status, ...event } = found;
    if (status !== 'open') throw gone(SESSION_ENDED);
    return { event, invite: null };
  }

  app.get(
    '/api/join/:code',
    { config: limited, schema: { params: JoinCodeParams, response: { 200: JoinInfo, ...errors } } },
    async (request) => {
      const target = await findTarget(request.params.code);
      if (!target) throw notFound(UNKNOWN_CODE);
      const { event, invite } = target;
      const companies = invite ? [{ id: invite.eventCompanyId, name: invite.name }] : await eventsDomain.listEventCompanies(app.db, event.id);
      const remembered = await app.rememberedParticipant(request);
      const person = request.user ?? remembered;
      const last = person?.kind === 'participant' ? await membersDomain.lastCompanyOf(app.db, person.id) : null;
      return {
        eventId: event.id,
        title: event.title,
        date: event.date,
        companies: companies.map(({ id, name }) => ({ id, name })),
        companiesLocked: event.companiesLocked,
        invitedCompanyId: invite?.eventCompanyId ?? null,
        ...(remembered ? { rememberedName: remembered.displayName } : {}),
        ...(last ? { lastCompany: { name: last.name, eventCompanyId: companies.find((c) => 'companyId' in c && c.companyId === last.companyId)?.id ?? null } } : {}),
      };
    },
  );

  app.post(
    '/api/join',
    { config: limited, schema: { body: JoinRequest, response: { 201: JoinResponse, 202: JoinPending, ...errors } } },
    async (request, reply) => {
      const body = request.body;
      if ((body.eventCompanyId === undefined) === (body.companyName === undefined)) {
        throw badRequest('会社を選ぶか、新しい会社名を入力してください / Give exactly one of eventCompanyId or companyName');
      }
      const target = await findTarget(body.code);
      if (!target) throw notFound(UNKNOWN_CODE);
      const { event, invite } = target;
      // A company's invite code joins that company and no other.
      if (invite && body.companyName !== undefined) throw new HttpError(400, inviteTakesNoName(invite.name), 'invite-company', { field: 'companyName' });
      if (invite && body.eventCompanyId !== invite.eventCompanyId) throw badRequest(NOT_INVITED_COMPANY);

      // Already a member for a company from this browser under this name (e.g. clicked the link
      // twice): keep that identity and company, and don't add the company named this time.
      // Or the participant this browser joined as before, whose sign-in has expired (the device cookie).
      const remembered = await app.rememberedParticipant(request);
      const current = request.user ?? remembered;
      const samePerson = current !== null && current.displayName === body.displayName.trim();
      const existing = current && samePerson ? await findMembership(app.db, event.id, current.id) : null;
      if (current && existing) {
        const answer = await asMember(event.id, body, current, existing);
        if (remembered) await app.startSession(reply, current.id, null);
        if (current.kind === 'participant') await app.rememberBrowser(request, reply, current.id);
        return reply.code(201).send(answer);
      }
      // A facilitator's browser joining as someone else would end the facilitator's sign-in (the
      // new participant's session replaces it): say so instead.
      if (current?.kind === 'facilitator' && !samePerson) throw conflict(SIGNED_IN_AS_FACILITATOR, 'signed-in-as-facilitator');

      // Every write of the join in one transaction: a failure half-way (the person's row refused,
      // the connection lost) leaves no company without members and no member without a session.
      // What others see of it (the worksheet carried over, the cookie, the pushes) follows the
      // commit; nothing inside may use app.db (on PGlite it would wait for this transaction).
      const afterCommit: Array<() => Promise<void>> = [];
      /** A company this join makes: within the address's limit of new companies per session, counted once committed. */
      const countNewCompany = () => {
        if (!newCompanies.allows(event.id, request.ip)) throw new HttpError(429, TOO_MANY_NEW_COMPANIES, 'new-company-rate');
        afterCommit.push(async () => newCompanies.count(event.id, request.ip));
      };
      // The person at this browser coming back under their name (then their companies know them).
      const returning = current !== null && samePerson && current.kind === 'participant' ? current.id : null;
      const answer = await app.db.transaction(async (tx) => {
        // Who takes part changes one join at a time per event, so the limits below (companies,
        // members) are counted and kept under the event's row lock.
        await eventsDomain.lockEventRow(tx, event.id);
        // The company named, and its participation here if it takes part already. A company new to
        // the session is added below, only once the join does not wait: a waiting or refused claim
        // must leave nothing of the company in the session (counts, lists, seating).
        let claim: membersDomain.CompanyClaim;
        // A company this join creates (by a name nobody used yet), even if the join then waits.
        let madeCompany = false;
        if (invite) {
          claim = { companyId: invite.companyId, eventCompanyId: invite.eventCompanyId };
        } else if (body.eventCompanyId !== undefined) {
          const found = await eventsDomain.findEventCompany(tx, event.id, body.eventCompanyId);
          if (!found) throw badRequest(NOT_OF_EVENT);
          claim = { companyId: found.companyId, eventCompanyId: found.id };
        } else {
          // A name of a company already taking part is joining that company, locked or not.
          const found = await eventsDomain.findEventCompanyByName(tx, event.id, body.companyName!);
          if (found) claim = { companyId: found.companyId, eventCompanyId: found.id };
          else if (event.companiesLocked) throw forbidden(LOCKED_NEW_COMPANY);
          else {
            const company = await eventsDomain.companyForParticipant(tx, event.id, body.companyName!, returning);
            claim = { companyId: company.id, eventCompanyId: null };
            madeCompany = company.created;
          }
        }

        const reuseIdentity = current !== null && samePerson && !existing && current.kind === 'participant';

        // A full session takes nobody more (409 'member-limit'), not even as a request to approve.
        await eventsDomain.requireRoomForMember(tx, event.id);
        // Someone of this name already in the company, who is not this sign-in: ask first (409 'same-name').
        if (body.confirmSameName !== true && claim.eventCompanyId !== null) {
          const namesake = await membersDomain.memberNamed(tx, claim.eventCompanyId, body.displayName, reuseIdentity ? current.id : null);
          if (namesake) throw sameNameTaken(namesake);
        }

        // Locked: an existing company takes new people only by its invite code or a facilitator's
        // approval. Until then the person has a session but no membership (no document, no event).
        // The same wait for the first person of a company with history elsewhere (claimNeedsApproval).
        // The request holds the company; approving it brings the company in (decideRequest).
        const waitsFor = invite ? null : await approvalNeeded(tx, event, claim, returning);
        if (waitsFor) {
          // The company a waiting claim names is made now (the request holds it) though it takes
          // part in nothing yet: it counts as a new company of this address, or someone whose
          // request waits or was refused made a company row per join, 120 a minute, without end.
          if (madeCompany) countNewCompany();
          const user = reuseIdentity ? current : await createParticipant(tx, body.displayName);
          if (!reuseIdentity || remembered) afterCommit.push(await app.prepareSession(reply, user.id, request.sessionId, tx));
          const requestId = await membersDomain.requestToJoin(tx, event.id, claim.companyId, user.id, body.confirmSameName === true);
          afterCommit.push(() => app.domain.publish({ type: 'join-requests.changed', eventId: event.id, added: true }));
          const state = (await membersDomain.findOwnRequest(tx, requestId, user.id))!;
          return {
            status: 202,
            body: {
              pending: true,
              requestId,
              eventId: event.id,
              eventCompanyId: claim.eventCompanyId,
              companyName: state.companyName!, // a waiting request names its company
              user: publicUser(user),
              reason: waitsFor,
            },
          } as const;
        }

        // Not waiting: a company new to the session takes part from now on.
        let eventCompanyId = claim.eventCompanyId;
        if (eventCompanyId === null) {
          const joined = await eventsDomain.joinCompanyToEvent(tx, event.id, claim.companyId);
          eventCompanyId = joined.id;
          if (joined.created) countNewCompany();
        }

        // A company back for the next session of its series starts from its last worksheet once its
        // first person is in: not at a join that waits (a stranger's claim would open the company's
        // worksheet to the whole session), whoever's join or 会社を追加 brought the company in.
        // (A company a facilitator added was carried over then: carryOverWorksheet copies once.)
        const carryInto = (await membersDomain.hasMembers(tx, eventCompanyId)) ? null : eventCompanyId;

        // The same person joining another event from this browser keeps one identity (and so keeps
        // access to their earlier events); a different name means a different person at this device.
        if (reuseIdentity) {
          // A double submit races to this insert: the loser inserts nothing, rolls back (the
          // company it may have made would have no members) and answers as the winner's member.
          const inserted = await tx
            .insert(eventMembers)
            .values({ id: randomUUID(), eventId: event.id, userId: current.id, eventCompanyId, role: 'participant' })
            .onConflictDoNothing({ target: [eventMembers.eventId, eventMembers.userId] })
            .returning({ id: eventMembers.id });
          if (inserted.length === 0) throw new LostJoinRace();
          if (remembered) afterCommit.push(await app.prepareSession(reply, current.id, null, tx));
          afterCommit.push(() => app.rememberBrowser(request, reply, current.id));
          if (carryInto) afterCommit.push(() => carryOver(carryInto));
          afterCommit.push(await becameMember(tx, event.id, eventCompanyId, current.id, current.displayName));
          return { status: 201, body: { eventId: event.id, eventCompanyId, role: 'participant', user: publicUser(current) } } as const;
        }

        const user = await createParticipant(tx, body.displayName);
        await tx.insert(eventMembers).values({ id: randomUUID(), eventId: event.id, userId: user.id, eventCompanyId, role: 'participant' });
        afterCommit.push(await app.prepareSession(reply, user.id, request.sessionId, tx));
        afterCommit.push(() => app.rememberBrowser(request, reply, user.id));
        if (carryInto) afterCommit.push(() => carryOver(carryInto));
        afterCommit.push(await becameMember(tx, event.id, eventCompanyId, user.id, user.displayName));
        return { status: 201, body: { eventId: event.id, eventCompanyId, role: 'participant', user } } as const;
      }).catch((err: unknown) => {
        if (!(err instanceof LostJoinRace && current)) throw err;
        afterCommit.length = 0; // nothing of the rolled-back join happened (its company's carry-over)
        // A remembered person's browser signs in here too (the winner's response went elsewhere).
        if (remembered) afterCommit.push(() => app.startSession(reply, current.id, null));
        return afterLostRace(event.id, body, current);
      });
      for (const effect of afterCommit) await effect();
      return reply.code(answer.status).send(answer.body);
    },
  );

  /**
   * Why a join by the session's code waits for a facilitator, or null: the session is locked; the
   * person already waits for (or was refused) an approval here, and joining again (another
   * company, or once the company has someone here) must not walk around it; or the company brings
   * history from other sessions and nobody of it is here yet (claimNeedsApproval).
   */
  async function approvalNeeded(db: Db, event: JoinTarget['event'], claim: membersDomain.CompanyClaim, returning: string | null) {
    if (event.companiesLocked) return 'locked' as const;
    if (returning !== null && (await membersDomain.hasUndecidedOrRefusedRequest(db, event.id, returning))) return 'locked' as const;
    if (await membersDomain.claimNeedsApproval(db, event.id, claim, returning)) return 'company-history' as const;
    return null;
  }

  /**
   * The answer to someone who is already a member of the event (clicked the link twice): that
   * membership stands and nothing is created. A member speaking for no company (a facilitator
   * trying the link) gets the company looked up, not created.
   */
  async function asMember(eventId: string, body: JoinRequest, user: SessionUser, member: Membership) {
    let eventCompanyId = member.eventCompanyId;
    if (!eventCompanyId) {
      const found =
        body.eventCompanyId !== undefined
          ? await eventsDomain.findEventCompany(app.db, eventId, body.eventCompanyId)
          : await eventsDomain.findEventCompanyByName(app.db, eventId, body.companyName!);
      if (!found && body.eventCompanyId !== undefined) throw badRequest(NOT_OF_EVENT);
      if (!found) throw conflict(ALREADY_MEMBER);
      eventCompanyId = found.id;
    }
    return { eventId, eventCompanyId, role: member.role, user: publicUser(user) };
  }

  /**
   * A join rolled back because the same person's concurrent join became a member first: answer
   * with that membership, read after the rollback (the winner has committed it by then).
   */
  async function afterLostRace(eventId: string, body: JoinRequest, user: SessionUser) {
    const member = await findMembership(app.db, eventId, user.id);
    if (!member) throw conflict(JOIN_RACE_LOST);
    return { status: 201, body: await asMember(eventId, body, user, member) } as const;
  }

  /**
   * Someone became a member (written with `db`, the join's transaction): their pending request is
   * moot. Returns the pushes to send once committed: the company's members are told, everyone
   * refetches the event.
   */
  async function becameMember(db: Db, eventId: string, eventCompanyId: string, userId: string, displayName: string) {
    // Asked for approval earlier, then came in by an invite: the request is moot.
    const dropped = await membersDomain.dropPendingRequest(db, eventId, userId);
    // Actions carried into the company for this person (owner last session) become theirs.
    const assigned = await assignCarriedActions(db, eventCompanyId, userId);
    return async () => {
      if (dropped) await app.domain.publish({ type: 'join-requests.changed', eventId, added: false });
      await app.domain.publish({ type: 'member.joined', eventId, eventCompanyId, userId, displayName });
      await app.domain.publish({ type: 'event.changed', eventId });
      if (assigned > 0) await app.domain.publish({ type: 'actions.changed', eventId, eventCompanyId });
    };
  }

  /**
   * 前回から引き継ぎ, after the join is committed (it edits a live document). The join stands if it
   * fails: the company starts from a blank worksheet, as it would outside a series.
   */
  async function carryOver(eventCompanyId: string) {
    try {
      await carryOverWorksheet(app.db, app.docs, eventCompanyId);
    } catch (err) {
      app.log.error({ err, eventCompanyId }, 'could not carry the worksheet over');
    }
  }

  // The person waiting for approval polls their own request (nobody else's: 404).
  app.get(
    '/api/join/requests/:requestId',
    { schema: { params: JoinRequestIdParams, response: { 200: JoinRequestState, ...errors } } },
    async (request, reply) => {
      const user = requireUser(request);
      const found = await membersDomain.findOwnRequest(app.db, request.params.requestId, user.id);
      if (!found) throw notFound(membersDomain.REQUEST_NOT_FOUND);
      // Let in: this browser is remembered for them, as after any join that makes a member.
      if (found.status === 'approved' && user.kind === 'participant') await app.rememberBrowser(request, reply, user.id);
      return found;
    },
  );
};
