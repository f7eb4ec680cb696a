// Breakout rooms on the control plane: auto-split, moves, add / rename / remove rooms, and
// participants choosing a room in self-select mode. A move changes no document rights (a company
// writes only its own document); its sockets follow it to the new room's channel.
import type { Socket } from 'socket.io';
import { and, asc, eq, inArray, notInArray } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { eventCompanies, eventMembers, events, rooms } from '../db/schema.ts';
import type { SessionUser } from '../auth/session.ts';
import type { Membership } from '../access/membership.ts';
import { EVENT_CLOSED, requireFacilitator, requireMember } from './guards.ts';
import { createRoom, findEventCompany, listEventCompanies, seatCompany } from '../domain/events.ts';
import { pairsOf, splitIntoRooms } from '../../shared/meetup/room-split.ts';
import * as schemas from '../../shared/schemas/control.ts';
import type { DomainEvent } from '../../shared/protocol/domain-events.ts';
import { badRequest, conflict, forbidden, HttpError } from '../errors.ts';
import { onValidated, type HandlerLogger } from './define-handler.ts';
import { tokenBucket } from './socket-limits.ts';
import { defaultRoomName } from '../../shared/meetup/room-name.ts';
import { bumpStateRevision, getMeetupState, lockEvent } from '../domain/meetup.ts';

type Publish = (event: DomainEvent) => Promise<void>;

export interface RoomHandlerDeps {
  publish: Publish;
  /** The users with a control socket subscribed to the event right now (who is "present"). */
  onlineUserIds(eventId: string): Promise<Set<string>>;
}

export function registerRoomHandlers(socket: Socket, db: Db, user: SessionUser, log: HandlerLogger, deps: RoomHandlerDeps): void {
  const commands = tokenBucket(30, 30 / 10_000);

  async function facilitator(eventId: string): Promise<Membership> {
    if (!commands.take()) throw new HttpError(429, '操作が速すぎます。少し待ってください / Too many actions, slow down');
    return requireFacilitator(db, eventId, user.id);
  }

  async function announceMoves(eventId: string, moves: Array<{ eventCompanyId: string; from: string | null; to: string | null }>) {
    for (const m of moves) {
      if (m.from === m.to) continue;
      await deps.publish({ type: 'company.moved', eventId, eventCompanyId: m.eventCompanyId, fromRoomId: m.from, toRoomId: m.to });
    }
    await deps.publish({ type: 'event.changed', eventId });
  }

  /** Rooms made, renamed or removed: they are part of the meetup state (reveal flags, names). */
  async function publishMeetupState(eventId: string) {
    await deps.publish({ type: 'meetup.changed', eventId, state: await getMeetupState(db, eventId) });
  }

  onValidated(socket, log, 'rooms:split', schemas.SplitPayload, async ({ eventId, size = 3, keepApart = false, presentOnly = true }) => {
    await facilitator(eventId);
    const companies = await listEventCompanies(db, eventId);
    let ids = companies.map((c) => c.id);
    if (presentOnly) {
      const online = await deps.onlineUserIds(eventId);
      const present = new Set(
        (online.size === 0
          ? []
          : await db
              .select({ eventCompanyId: eventMembers.eventCompanyId })
              .from(eventMembers)
              .where(and(eq(eventMembers.eventId, eventId), inArray(eventMembers.userId, [...online])))
        ).map((r) => r.eventCompanyId),
      );
      ids = ids.filter((id) => present.has(id));
    }
    if (ids.length === 0) throw conflict('振り分ける会社がありません（オンラインの会社がいません） / No companies to split (nobody is online)');
    const byRoom = new Map<string, string[]>();
    for (const c of companies) if (c.roomId && ids.includes(c.id)) byRoom.set(c.roomId, [...(byRoom.get(c.roomId) ?? []), c.id]);
    const split = splitIntoRooms(ids, { size, avoid: keepApart ? pairsOf([...byRoom.values()]) : undefined, seed: Date.now() % 2 ** 31 });
    const before = new Map(companies.map((c) => [c.id, c.roomId]));
    const result: Array<{ roomId: string; eventCompanyIds: string[] }> = [];
    let existingRooms = 0;
    const left: Array<{ id: string; roomId: string | null }> = [];
    const started = Date.now();
    await db.transaction(async (tx) => {
      await lockEvent(tx as unknown as Db, eventId);
      const existing = await tx.select({ id: rooms.id }).from(rooms).where(eq(rooms.eventId, eventId)).orderBy(asc(rooms.createdAt), asc(rooms.name));
      existingRooms = existing.length;
      for (const [i, group] of split.entries()) {
        // One transaction has one now(): give each new room its own time so they list in order.
        const roomId = existing[i]?.id ?? (await createRoom(tx as unknown as Db, eventId, defaultRoomName(i + 1), new Date(started + i))).id;
        for (const id of group) await tx.update(eventCompanies).set({ roomId }).where(eq(eventCompanies.id, id));
        result.push({ roomId, eventCompanyIds: group });
      }
      // The companies left out (offline ones, with presentOnly) leave their old rooms: otherwise
      // they would sit on among the split's groups, and the split would seem to change nothing.
      left.push(
        ...(await tx
          .select({ id: eventCompanies.id, roomId: eventCompanies.roomId })
          .from(eventCompanies)
          .where(and(eq(eventCompanies.eventId, eventId), notInArray(eventCompanies.id, ids)))),
      );
      const seatedLeft = left.filter((c) => c.roomId !== null).map((c) => c.id);
      if (seatedLeft.length > 0) await tx.update(eventCompanies).set({ roomId: null }).where(inArray(eventCompanies.id, seatedLeft));
    });
    const moves = [
      ...result.flatMap((r) => r.eventCompanyIds.map((id) => ({ eventCompanyId: id, from: before.get(id) ?? null, to: r.roomId }))),
      ...left.map((c) => ({ eventCompanyId: c.id, from: c.roomId, to: null })),
    ];
    await announceMoves(eventId, moves);
    if (result.length > existingRooms) await publishMeetupState(eventId);
    // `unseated`: the companies not split, now in no room (for the facilitator to seat or split again).
    return { rooms: result, unseated: left.map((c) => c.id) };
  });

  onValidated(socket, log, 'company:move', schemas.MovePayload, async ({ eventId, eventCompanyId, roomId }) => {
    await facilitator(eventId);
    // Locked like a split: two facilitators moving at once each see the room the other left.
    const from = await db.transaction(async (tx) => {
      await lockEvent(tx as unknown as Db, eventId);
      const target = await findEventCompany(tx as unknown as Db, eventId, eventCompanyId);
      if (!target) throw badRequest('eventCompanyId: この会社はこの会に参加していません / not a company of this session');
      await seatCompany(tx as unknown as Db, eventId, eventCompanyId, roomId);
      return target.roomId;
    });
    await announceMoves(eventId, [{ eventCompanyId, from, to: roomId }]);
    return {};
  });

  onValidated(socket, log, 'room:create', schemas.RoomCreatePayload, async ({ eventId, name }) => {
    await facilitator(eventId);
    const room = await db.transaction((tx) => createRoom(tx as unknown as Db, eventId, name));
    await deps.publish({ type: 'event.changed', eventId });
    await publishMeetupState(eventId);
    return { roomId: room.id };
  });

  onValidated(socket, log, 'room:rename', schemas.RoomRenamePayload, async ({ eventId, roomId, name }) => {
    await facilitator(eventId);
    await db.transaction(async (tx) => {
      const renamed = await tx
        .update(rooms)
        .set({ name: name.trim() })
        .where(and(eq(rooms.id, roomId), eq(rooms.eventId, eventId)))
        .returning({ id: rooms.id });
      if (renamed.length === 0) throw badRequest('roomId: この会のルームではありません / not a room of this session');
      await bumpStateRevision(tx as unknown as Db, eventId);
    });
    await deps.publish({ type: 'event.changed', eventId });
    await publishMeetupState(eventId);
    return {};
  });

  onValidated(socket, log, 'room:remove', schemas.RoomRemovePayload, async ({ eventId, roomId }) => {
    await facilitator(eventId);
    const seated = await db.select({ id: eventCompanies.id }).from(eventCompanies).where(eq(eventCompanies.roomId, roomId));
    const removed = await db.transaction(async (tx) => {
      const count = await tx.select({ id: rooms.id }).from(rooms).where(eq(rooms.eventId, eventId));
      if (count.length <= 1) throw conflict('最後のルームは削除できません / The last room cannot be removed');
      // Companies in the room become unseated (room_id is set null), for the facilitator to re-seat.
      const deleted = await tx.delete(rooms).where(and(eq(rooms.id, roomId), eq(rooms.eventId, eventId))).returning({ id: rooms.id });
      if (deleted.length > 0) await bumpStateRevision(tx as unknown as Db, eventId);
      return deleted;
    });
    if (removed.length === 0) throw badRequest('roomId: この会のルームではありません / not a room of this session');
    await announceMoves(eventId, seated.map((s) => ({ eventCompanyId: s.id, from: roomId, to: null })));
    await publishMeetupState(eventId);
    return {};
  });

  onValidated(socket, log, 'room:choose', schemas.RoomChoosePayload, async ({ eventId, roomId }) => {
    if (!commands.take()) throw new HttpError(429, '操作が速すぎます / Too many actions, slow down');
    const me = await requireMember(db, eventId, user.id);
    if (me.eventStatus === 'closed') throw conflict(EVENT_CLOSED);
    if (me.role !== 'participant' || !me.eventCompanyId) throw forbidden('会社の参加者のみ選べます / Only a company member can choose a room');
    const [event] = await db.select({ roomMode: events.roomMode }).from(events).where(eq(events.id, eventId));
    if (event?.roomMode !== 'self-select') throw forbidden('ルームはファシリテーターが決めます / Rooms are assigned by the facilitator');
    const target = await findEventCompany(db, eventId, me.eventCompanyId);
    await seatCompany(db, eventId, me.eventCompanyId, roomId);
    await announceMoves(eventId, [{ eventCompanyId: me.eventCompanyId, from: target?.roomId ?? null, to: roomId }]);
    return {};
  });
}
