// The facilitator console: every breakout room live on one page (companies, people present, step
// done marks, worksheet progress, scores, 気付き cards, help requests) and the commands that run
// the session (split, moves, rooms, room mode, clock, agenda, reveal, messages, summon), and the
// join requests waiting for approval once the companies are locked.
import { inRoomOrder } from '../../../shared/meetup/room-name.ts';
import type { EventCompany, EventDetail, Room, User } from '../../../shared/schemas/api.ts';
import type { ElementId } from '../../../shared/jcrm/elements.ts';
import type { ClientToServerEvents } from '../../../shared/protocol/control-events.ts';
import type { HelpRequest, MeetupState, SummonTarget } from '../../../shared/protocol/meetup.ts';
import type { PendingJoinRequest } from '../../../shared/schemas/members.ts';
import { api, ApiError } from '../api/http.ts';
import { connectControl, request, type AckOf, type ControlSocket, type PayloadOf } from '../api/control-socket.ts';
import { errorMessage } from '../error-message.ts';
import { i18n, t } from '../i18n/i18n.svelte.ts';
import { roomLabel } from '../i18n/room-name.ts';
import { MeetupModel } from './meetup.svelte.ts';
import { ConnectionModel } from './connection.svelte.ts';
import { CardTally, ScoredTally } from './console-tallies.svelte.ts';
import { RoomWatch, SheetWatch } from './doc-watch.svelte.ts';
import { CompanyMove, type MoveTarget } from './company-move.svelte.ts';
import type { PresenceUser } from './presence.svelte.ts';
import { companyColor } from './colors.ts';

export type ConsoleAccess =
  | { kind: 'ready'; detail: EventDetail }
  | { kind: 'notFacilitator' }
  | { kind: 'failed'; status: number; message: string };

/** Whether the signed-in user may use the console (facilitators of the event only). */
export async function consoleAccess(eventId: string): Promise<ConsoleAccess> {
  try {
    const detail = await api.getEvent(eventId);
    return detail.role === 'facilitator' ? { kind: 'ready', detail } : { kind: 'notFacilitator' };
  } catch (err) {
    return { kind: 'failed', status: err instanceof ApiError ? err.status : 0, message: errorMessage(err) };
  }
}

export interface CompanySummary {
  id: string;
  name: string;
  color: string;
  /** Elements with a worksheet entry; null until its document has synced. */
  worksheet: { filled: number; total: number } | null;
  scored: number;
  /** Someone of the company has the room's board open. */
  online: boolean;
}

export interface RoomSummary {
  id: string;
  name: string;
  revealed: boolean;
  companies: CompanySummary[];
  /** Participants who have the room's board open (its document's awareness). */
  people: PresenceUser[];
  /** Facilitators who have the room's board open (no company): counted apart from the participants. */
  facilitators: PresenceUser[];
  /** Participants present, and how many of them marked the current step done. */
  participantsHere: number;
  doneHere: number;
  cards: number;
  help: HelpRequest[];
}

export class ConsoleState {
  detail = $state.raw<EventDetail>(null!);
  /** The last refused or failed command, as the server said it ('日本語 / English'). */
  error = $state<string | null>(null);
  /** What the last split did (shown as a confirmation in the current language). */
  splitResult = $state<{ companies: number; rooms: number; unseated: number } | null>(null);
  /** Join requests waiting for a facilitator's approval (locked companies), oldest first. */
  joinRequests = $state.raw<PendingJoinRequest[]>([]);
  /**
   * Companies that joined while the console was open, newest last: a late company is seated in
   * the first room (or waits unseated), and in a meetup of ten rooms nobody would notice it there.
   * Cleared one by one (閉じる), or when the facilitator moves the company. Kept in the tab's
   * sessionStorage, so a reload of the console does not forget who came late.
   */
  arrivals = $state.raw<string[]>([]);

  readonly socket: ControlSocket;
  readonly meetup: MeetupModel;
  readonly connection: ConnectionModel;
  readonly scored: ScoredTally;
  readonly cards: CardTally;
  readonly move: CompanyMove;
  private roomWatches = $state.raw<Record<string, RoomWatch>>({});
  private sheetWatches = $state.raw<Record<string, SheetWatch>>({});
  private destroyed = false;
  private connectedBefore = false;
  private loads = 0;

  constructor(
    readonly eventId: string,
    readonly user: User,
    detail: EventDetail,
  ) {
    this.detail = detail;
    this.arrivals = this.storedArrivals(detail.companies);
    this.socket = connectControl();
    this.meetup = new MeetupModel(this.socket, eventId, user.id);
    this.connection = new ConnectionModel(this.socket);
    this.scored = new ScoredTally(this.socket, eventId);
    this.cards = new CardTally(this.socket, eventId);
    this.move = new CompanyMove({
      targets: () => [...this.rooms.map((r) => r.id), null],
      roomOf: (id) => this.detail.companies.find((c) => c.id === id)?.roomId ?? null,
      companyName: (id) => this.detail.companies.find((c) => c.id === id)?.name ?? '',
      targetName: (target) => (target === null ? t('unseatedTitle') : roomLabel(this.detail.rooms.find((r) => r.id === target)?.name ?? '', i18n.locale)),
      move: (id, target) => this.moveCompany(id, target),
    });
    this.socket.on('connect', () => {
      void this.subscribe();
      if (this.connectedBefore) void this.reload();
      this.connectedBefore = true;
    });
    this.socket.on('event:changed', ({ eventId: changed }) => {
      if (changed === this.eventId) void this.reload();
    });
    this.socket.on('join-requests:changed', ({ eventId: changed }) => {
      if (changed === this.eventId) void this.loadJoinRequests();
    });
    this.syncDocuments();
  }

  get closed(): boolean {
    return this.detail.status === 'closed';
  }

  /**
   * By name, numbers in order ("ルーム 2" before "ルーム 10"): the server lists rooms by creation
   * time, but the rooms one split creates share it and come back as 1, 10, 11, 2…
   */
  readonly rooms: Room[] = $derived(inRoomOrder(this.detail.rooms));

  get unseated(): EventCompany[] {
    const rooms = new Set(this.detail.rooms.map((r) => r.id));
    return this.detail.companies.filter((c) => c.roomId === null || !rooms.has(c.roomId));
  }

  /** The elements the session covers (all when empty). */
  get scope(): ElementId[] {
    return this.meetup.state?.coveredElements ?? [];
  }

  get scopeTotal(): number {
    return this.scope.length || 10;
  }

  /** Help requests from people in no room (or a room since removed). */
  get helpElsewhere(): HelpRequest[] {
    const rooms = new Set(this.detail.rooms.map((r) => r.id));
    return this.meetup.help.filter((h) => h.roomId === null || !rooms.has(h.roomId));
  }

  colorOf(eventCompanyId: string): string {
    return companyColor(this.detail.companies.findIndex((c) => c.id === eventCompanyId));
  }

  /**
   * The companies someone of which has a room's board open: the ones a split 「オンラインの会社だけ」
   * seats (companies waiting unseated are not watched and not counted).
   */
  get presentCompanyIds(): Set<string> {
    const present = new Set<string>();
    for (const watch of Object.values(this.roomWatches)) for (const p of watch.presence.people) if (p.eventCompanyId !== null) present.add(p.eventCompanyId);
    return present;
  }

  /** One room's tile (each tile derives its own, so a keystroke in one worksheet redraws one tile). */
  summarize(room: Room): RoomSummary {
    const seated = this.detail.companies.filter((c) => c.roomId === room.id);
    const people = this.roomWatches[room.id]?.presence.people ?? [];
    const participants = people.filter((p) => p.eventCompanyId !== null);
    const online = new Set(participants.map((p) => p.eventCompanyId));
    const done = new Set(this.meetup.state?.done ?? []);
    return {
      id: room.id,
      name: room.name,
      revealed: this.meetup.state?.rooms.find((r) => r.id === room.id)?.scoresRevealed ?? false,
      companies: seated.map((c) => ({
        id: c.id,
        name: c.name,
        color: this.colorOf(c.id),
        worksheet: this.sheetWatches[c.id]?.progress(this.scope) ?? null,
        scored: this.scored.count(c.id, this.scope),
        online: online.has(c.id),
      })),
      people: participants,
      facilitators: people.filter((p) => p.eventCompanyId === null),
      participantsHere: participants.length,
      doneHere: participants.filter((p) => done.has(p.id)).length,
      cards: this.cards.countInRoom(room.id, new Set(seated.map((c) => c.id))),
      help: this.meetup.help.filter((h) => h.roomId === room.id),
    };
  }

  /** Fetches the pending join requests (on connect and whenever the server says they changed). */
  async loadJoinRequests(): Promise<void> {
    // A closed event decides no requests (the server answers 409): none are shown.
    if (this.closed) return void (this.joinRequests = []);
    try {
      const requests = await api.listJoinRequests(this.eventId);
      if (!this.destroyed) this.joinRequests = requests;
    } catch (err) {
      if (!this.destroyed) this.error = errorMessage(err);
    }
  }

  async reload(): Promise<void> {
    const load = ++this.loads;
    try {
      const detail = await api.getEvent(this.eventId);
      if (load !== this.loads || this.destroyed) return;
      this.noteArrivals(this.detail.companies, detail.companies);
      this.detail = detail;
      this.syncDocuments();
      // A move takes a company's open help requests to its new room.
      if (this.meetup.help.length > 0) await this.meetup.refreshHelp();
    } catch (err) {
      if (load === this.loads && !this.destroyed) this.error = errorMessage(err);
    }
  }

  /** Sends a command; a refusal or a timeout becomes `error` (shown in the current language). */
  async command<E extends keyof ClientToServerEvents>(event: E, payload: PayloadOf<E>): Promise<Extract<AckOf<E>, { ok: true }> | null> {
    this.error = null;
    try {
      const res = await request(this.socket, event, payload);
      const state = (res as { state?: MeetupState }).state;
      if (state) this.meetup.accept(state);
      return res;
    } catch (err) {
      this.error = errorMessage(err);
      return null;
    }
  }

  async split(options: { size: number; keepApart: boolean; presentOnly: boolean }): Promise<void> {
    this.splitResult = null;
    const res = await this.command('rooms:split', { eventId: this.eventId, ...options });
    if (!res) return;
    this.splitResult = { companies: res.rooms.reduce((n, r) => n + r.eventCompanyIds.length, 0), rooms: res.rooms.length, unseated: res.unseated.length };
    this.setArrivals([]); // every company was just seated on purpose
    await this.reload();
  }

  /** Companies in `now` that were not in `before`, added to the arrivals (at most ten kept). */
  private noteArrivals(before: readonly EventCompany[], now: readonly EventCompany[]): void {
    const known = new Set(before.map((c) => c.id));
    const added = now.filter((c) => !known.has(c.id) && !this.arrivals.includes(c.id)).map((c) => c.id);
    const gone = new Set(this.arrivals.filter((id) => !now.some((c) => c.id === id)));
    if (added.length > 0 || gone.size > 0) this.setArrivals([...this.arrivals.filter((id) => !gone.has(id)), ...added].slice(-10));
  }

  dismissArrival(eventCompanyId: string): void {
    this.setArrivals(this.arrivals.filter((id) => id !== eventCompanyId));
  }

  private get arrivalsKey(): string {
    return `kizuki.arrivals.${this.eventId}`;
  }

  private setArrivals(ids: string[]): void {
    this.arrivals = ids;
    try {
      if (ids.length > 0) sessionStorage.setItem(this.arrivalsKey, JSON.stringify(ids));
      else sessionStorage.removeItem(this.arrivalsKey);
    } catch {
      // Storage refused (private mode, full): the notices then last as long as the page.
    }
  }

  /** The arrivals this tab noted before a reload, of companies still in the event. */
  private storedArrivals(companies: readonly EventCompany[]): string[] {
    try {
      const stored: unknown = JSON.parse(sessionStorage.getItem(this.arrivalsKey) ?? '[]');
      return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string' && companies.some((c) => c.id === id)).slice(-10) : [];
    } catch {
      return [];
    }
  }

  async moveCompany(eventCompanyId: string, roomId: MoveTarget): Promise<boolean> {
    const before = this.detail;
    // Shown at once; the server's event:changed then confirms it (or the reload below undoes it).
    this.detail = { ...before, companies: before.companies.map((c) => (c.id === eventCompanyId ? { ...c, roomId } : c)) };
    this.syncDocuments();
    if (await this.command('company:move', { eventId: this.eventId, eventCompanyId, roomId })) {
      this.dismissArrival(eventCompanyId); // seated on purpose now
      this.splitResult = null; // 「n社をmルームに振り分けました」 no longer describes the rooms
      return true;
    }
    await this.reload();
    return false;
  }

  async createRoom(name: string): Promise<boolean> {
    const res = await this.command('room:create', { eventId: this.eventId, name });
    if (res) await this.reload();
    return res !== null;
  }

  async renameRoom(roomId: string, name: string): Promise<boolean> {
    const trimmed = name.trim();
    const room = this.detail.rooms.find((r) => r.id === roomId);
    if (!room || !trimmed || trimmed === room.name) return true;
    this.detail = { ...this.detail, rooms: this.detail.rooms.map((r) => (r.id === roomId ? { ...r, name: trimmed } : r)) };
    if (await this.command('room:rename', { eventId: this.eventId, roomId, name: trimmed })) return true;
    await this.reload();
    return false;
  }

  async removeRoom(roomId: string): Promise<void> {
    if (await this.command('room:remove', { eventId: this.eventId, roomId })) await this.reload();
  }

  async handleHelp(helpId: string): Promise<void> {
    if (await this.command('help:handle', { eventId: this.eventId, helpId })) {
      this.meetup.help = this.meetup.help.filter((h) => h.id !== helpId);
    }
  }

  setRoomMode(selfSelect: boolean): Promise<unknown> {
    return this.command('meetup:settings', { eventId: this.eventId, roomMode: selfSelect ? 'self-select' : 'assigned' });
  }

  setScoresHidden(hidden: boolean): Promise<unknown> {
    return this.command('meetup:settings', { eventId: this.eventId, scoresHidden: hidden });
  }

  /** Element scoring (0–3) on or off for this session. */
  setElementScoring(on: boolean): Promise<unknown> {
    return this.command('meetup:settings', { eventId: this.eventId, elementScoring: on });
  }

  async setStepDuration(index: number, minutes: number): Promise<void> {
    const agenda = this.meetup.agenda;
    if (!agenda[index] || !Number.isInteger(minutes) || minutes < 1 || minutes > 240 || agenda[index].durationMinutes === minutes) return;
    const steps = agenda.map((s, i) => ({ title: s.title, durationMinutes: i === index ? minutes : s.durationMinutes }));
    await this.command('agenda:set', { eventId: this.eventId, steps });
  }

  reveal(roomId: string | null): Promise<unknown> {
    return this.command('scores:reveal', { eventId: this.eventId, roomId });
  }

  async sendBanner(roomId: string | null, text: string): Promise<boolean> {
    return (await this.command('banner:send', { eventId: this.eventId, roomId, text: text.trim() })) !== null;
  }

  async removeBanner(bannerId: string): Promise<boolean> {
    return (await this.command('banner:remove', { eventId: this.eventId, bannerId })) !== null;
  }

  async summon(roomId: string | null, target: SummonTarget): Promise<boolean> {
    return (await this.command('summon', { eventId: this.eventId, roomId, target })) !== null;
  }

  destroy(): void {
    this.destroyed = true;
    for (const watch of Object.values(this.roomWatches)) this.close(watch);
    for (const watch of Object.values(this.sheetWatches)) this.close(watch);
    this.roomWatches = {};
    this.sheetWatches = {};
    this.connection.destroy();
    this.meetup.destroy();
    this.socket.disconnect();
  }

  private async subscribe(): Promise<void> {
    try {
      await request(this.socket, 'event:subscribe', { eventId: this.eventId });
      await Promise.all([this.meetup.load(), this.scored.load(), this.cards.load(), this.loadJoinRequests()]);
    } catch (err) {
      if (this.socket.connected && !this.destroyed) this.error = errorMessage(err);
    }
  }

  /** One room document per room, one worksheet per seated company; closes the rest. */
  private syncDocuments(): void {
    if (this.destroyed) return;
    const rooms: Record<string, RoomWatch> = {};
    for (const room of this.detail.rooms) rooms[room.id] = this.roomWatches[room.id] ?? this.opened(new RoomWatch(room.id, this.user.id));
    for (const [id, watch] of Object.entries(this.roomWatches)) if (!rooms[id]) this.close(watch);
    this.roomWatches = rooms;

    const roomIds = new Set(this.detail.rooms.map((r) => r.id));
    const sheets: Record<string, SheetWatch> = {};
    for (const c of this.detail.companies) {
      if (c.roomId && roomIds.has(c.roomId)) sheets[c.id] = this.sheetWatches[c.id] ?? this.opened(new SheetWatch(c.id, this.user.id));
    }
    for (const [id, watch] of Object.entries(this.sheetWatches)) if (!sheets[id]) this.close(watch);
    this.sheetWatches = sheets;
  }

  private opened<W extends RoomWatch | SheetWatch>(watch: W): W {
    this.connection.track(watch.shared.provider);
    return watch;
  }

  private close(watch: RoomWatch | SheetWatch): void {
    this.connection.untrack(watch.shared.provider);
    watch.destroy();
  }
}
