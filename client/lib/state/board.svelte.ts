// Everything one board page needs: the event, which room is shown, the open documents (room board
// + each seated company's worksheet), live scores, presence and the connection state.
import { showsPlenaryView, type PlenaryViewChoice } from '../../../shared/meetup/phase.ts';
import type { EventCompany, EventDetail } from '../../../shared/schemas/api.ts';
import type { ElementId } from '../../../shared/jcrm/elements.ts';
import { roomDocName } from '../../../shared/protocol/doc-names.ts';
import { api } from '../api/http.ts';
import { connectControl, request, type ControlSocket } from '../api/control-socket.ts';
import { errorMessage } from '../error-message.ts';
import { openSharedDoc, reportDroppedEdits, type AccessEvent, type SharedDoc } from '../api/shared-doc.ts';
import * as Y from 'yjs';
import { UndoHistory } from './undo.svelte.ts';
import { ActionsModel } from './actions.svelte.ts';
import { SheetModel } from './sheet.svelte.ts';
import { CardsModel, type CardSource } from './cards.svelte.ts';
import { CardMetaModel } from './card-meta.svelte.ts';
import { DocVersion } from './doc-version.svelte.ts';
import { ScoresModel } from './scores.svelte.ts';
import { PresenceModel } from './presence.svelte.ts';
import { ConnectionModel } from './connection.svelte.ts';
import { ControlOutbox } from './outbox.svelte.ts';
import { outboxKey } from '../api/local-copies.ts';
import { MembershipModel } from './membership.svelte.ts';
import { MeetupModel } from './meetup.svelte.ts';
import { companyColor } from './colors.ts';
import type { User } from '../../../shared/schemas/api.ts';

export type PanelTab = 'element' | 'comparison';
/** A banner about what the viewer may edit: their rights changed, or the server refused an edit. */
export type AccessNotice = 'accessChanged' | 'writeRefused' | 'writeRefusedClosed' | 'writeRefusedFull';

/** The shown room's facilitator document (its cards) and presence. */
export interface RoomView {
  roomId: string;
  shared: SharedDoc;
  version: DocVersion;
  presence: PresenceModel;
}

export class BoardState {
  detail = $state<EventDetail | null>(null);
  error = $state<string | null>(null);
  /** For facilitators: the room they are looking at (participants see their own). */
  chosenRoomId = $state<string | null>(null);
  selected = $state<ElementId | null>(null);
  tab = $state<PanelTab>('element');
  /** Counts the facilitator's summons: the page brings the panel into view on each. */
  summoned = $state(0);
  room = $state.raw<RoomView | null>(null);
  /** eventCompanyId → open worksheet. */
  sheets = $state.raw<Record<string, SheetModel>>({});
  notice = $state<AccessNotice | null>(null);
  /** The viewer's company was moved to another room (or out of every room: null): named, not a rights notice. */
  movedTo = $state<{ roomName: string | null } | null>(null);
  /** In the plenary: the viewer's own pick between its view and their board (for the current step). */
  plenaryChoice = $state<PlenaryViewChoice | null>(null);

  /** The plenary view rather than the board (see showsPlenaryView). */
  get showsPlenary(): boolean {
    const state = this.meetup.state;
    return state !== null && showsPlenaryView(state, this.plenaryChoice);
  }

  /** Switches between the plenary view and the board until the agenda's step changes. */
  choosePlenaryView(view: 'plenary' | 'board'): void {
    this.plenaryChoice = { stepIndex: this.meetup.state?.clock.stepIndex ?? null, view };
  }

  readonly socket: ControlSocket;
  readonly scores: ScoresModel;
  readonly cardMeta: CardMetaModel;
  /** Cards of the shown room: each seated company's document plus the facilitators'. */
  readonly cards: CardsModel;
  readonly connection: ConnectionModel;
  /** The facilitated session: clock, banners, done marks, help, summon. */
  readonly meetup: MeetupModel;
  /** Control-plane changes (scores…) waiting for the server's acknowledgement, kept while offline. */
  readonly outbox: ControlOutbox;
  /** Who joined the viewer's company; whether the viewer was removed from the event. */
  readonly membership: MembershipModel;
  /** Undo / redo of this user's own edits, and 「元に戻す」 after a deletion. */
  readonly history = new UndoHistory();
  /** The viewer's company's take-home actions (null for facilitators and observers). */
  actions = $state.raw<ActionsModel | null>(null);
  private destroyed = false;
  private connectedBefore = false;
  private tooManyConnections: string | null = null;
  /** Numbers reload() requests: only the latest response is applied. */
  private loads = 0;
  private accessReload: ReturnType<typeof setTimeout> | undefined;
  /** Names of read-only documents changed here anyway ('diverged'): reopened from the server. */
  private readonly diverged = new Set<string>();
  private reopenTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    readonly eventId: string,
    readonly user: User,
  ) {
    this.socket = connectControl();
    this.outbox = new ControlOutbox(this.socket, outboxKey(eventId, user.id));
    this.scores = new ScoresModel(this.socket, eventId, this.outbox, (id) => this.detail?.companies.find((c) => c.id === id)?.name ?? '');
    this.cardMeta = new CardMetaModel(this.socket, eventId);
    this.cards = new CardsModel(() => this.cardSources(), this.cardMeta);
    this.cards.onDelete = (doc, what, remove) => this.history.deleteWithOffer(doc, what, remove);
    this.connection = new ConnectionModel(this.socket, this.outbox);
    this.membership = new MembershipModel(this.socket, eventId, user.id);
    this.meetup = new MeetupModel(this.socket, eventId, user.id);
    this.meetup.onSummon = (target) => {
      this.tab = target.tab;
      if (target.element) this.selected = target.element;
      this.summoned++;
      this.announcePresence();
    };
    // Revealed scores are fetched again (they were withheld until now).
    this.socket.on('scores:revealed', () => void this.scores.load().catch(() => {}));
    // The server refuses a 21st connection of one sign-in (server/plugins/control.ts): say why the
    // board is not live instead of retrying in silence; the message goes once a connection is made.
    this.socket.on('connect_error', (err: Error & { data?: { code?: string; error?: string } }) => {
      if (err.data?.code === 'TOO_MANY_CONNECTIONS' && err.data.error) this.error = this.tooManyConnections = err.data.error;
    });
    this.socket.on('connect', () => {
      if (this.tooManyConnections !== null && this.error === this.tooManyConnections) this.error = null;
      this.tooManyConnections = null;
      void this.subscribe();
      // Back after a server restart or a network loss: moves, closing, actions… were not pushed meanwhile.
      if (this.connectedBefore) {
        void this.reload();
        void this.actions?.load();
      }
      this.connectedBefore = true;
    });
    this.socket.on('event:changed', () => void this.reload());
    // Pushed to the company and the facilitators only (not part of event:changed: 30 browsers would refetch).
    this.socket.on('actions:changed', ({ eventCompanyId }) => {
      if (eventCompanyId === this.actions?.eventCompanyId) void this.actions.load();
    });
    // A new member of the viewer's company can own its actions at once (the 担当 lists come with
    // the actions): MembershipModel shows the "joined" notice for the same push.
    this.socket.on('company:member-joined', ({ eventId: joinedEvent, eventCompanyId }) => {
      if (joinedEvent === this.eventId && eventCompanyId === this.actions?.eventCompanyId) void this.actions.load();
    });
  }

  get isFacilitator(): boolean {
    return this.detail?.role === 'facilitator';
  }

  get myCompanyId(): string | null {
    return this.detail?.myEventCompanyId ?? null;
  }

  get roomId(): string | null {
    const detail = this.detail;
    if (!detail) return null;
    if (detail.role === 'participant') {
      return detail.companies.find((c) => c.id === detail.myEventCompanyId)?.roomId ?? null;
    }
    if (this.chosenRoomId && detail.rooms.some((r) => r.id === this.chosenRoomId)) return this.chosenRoomId;
    return detail.rooms[0]?.id ?? null;
  }

  /** The companies seated in the shown room, the viewer's own company first. */
  get companies(): EventCompany[] {
    const detail = this.detail;
    if (!detail) return [];
    const seated = detail.companies.filter((c) => c.roomId === this.roomId);
    return seated.sort((a, b) => Number(b.id === this.myCompanyId) - Number(a.id === this.myCompanyId));
  }

  colorOf(eventCompanyId: string): string {
    const index = this.detail?.companies.findIndex((c) => c.id === eventCompanyId) ?? -1;
    return companyColor(index);
  }

  canEdit(eventCompanyId: string): boolean {
    if (this.detail?.status !== 'open') return false;
    return this.isFacilitator || eventCompanyId === this.myCompanyId;
  }

  /** Whether this viewer may write a document: a company's worksheet (its id) or the room's (null). */
  mayWrite(eventCompanyId: string | null): boolean {
    return eventCompanyId === null ? this.detail?.status === 'open' && this.isFacilitator : this.canEdit(eventCompanyId);
  }

  /** Where this viewer's new cards go: their company's document, or the room's for facilitators. */
  get myCardSource(): CardSource | null {
    const sources = this.cardSources();
    const mine = this.isFacilitator ? null : this.myCompanyId;
    return sources.find((s) => s.eventCompanyId === mine && s.writable) ?? null;
  }

  private cardSources(): CardSource[] {
    const sources: CardSource[] = [];
    const room = this.room;
    if (room) {
      sources.push({
        docName: room.shared.name,
        doc: room.shared.doc,
        eventCompanyId: null,
        get version() {
          return room.version.version;
        },
        writable: this.mayWrite(null) && !room.shared.readOnly,
      });
    }
    for (const company of this.companies) {
      const sheet = this.sheets[company.id];
      if (!sheet) continue;
      sources.push({
        docName: sheet.shared.name,
        doc: sheet.doc,
        eventCompanyId: company.id,
        get version() {
          return sheet.version;
        },
        writable: this.canEdit(company.id) && !sheet.readOnly,
      });
    }
    return sources;
  }

  async start(): Promise<void> {
    await this.reload();
  }

  async reload(): Promise<void> {
    const load = ++this.loads;
    let detail: EventDetail;
    try {
      detail = await api.getEvent(this.eventId);
    } catch (err) {
      if (load === this.loads && !this.destroyed && !this.membership.loadFailed(err)) this.error = errorMessage(err);
      return;
    }
    // The page may have gone meanwhile (opening documents now would leak them), or a newer reload
    // may have been sent after this one (an older answer must not win).
    if (load !== this.loads || this.destroyed) return;
    this.membership.loaded();
    const previous = this.detail;
    this.detail = detail;
    this.error = null;
    if (previous && rightsOf(previous) !== rightsOf(detail) && detail.status === 'open') {
      const moved = movedRoom(previous, detail);
      if (moved !== undefined) this.movedTo = { roomName: moved };
      else this.notice = 'accessChanged';
    }
    if (detail.status === 'closed' && this.notice === 'writeRefused') this.notice = 'writeRefusedClosed';
    this.syncDocuments();
    const mine = detail.myEventCompanyId;
    if (mine && this.actions?.eventCompanyId !== mine) {
      this.actions = new ActionsModel(this.eventId, mine);
      void this.actions.load();
    }
    if (!mine) this.actions = null;
  }

  /** Rights changed or an edit was refused: reload so the read-only fields match the server. */
  private onAccess(shared: SharedDoc, event: AccessEvent): void {
    if (event === 'diverged') {
      // Not inside the transaction that changed it: reopened right after.
      this.diverged.add(shared.name);
      this.reopenTimer ??= setTimeout(() => {
        this.reopenTimer = undefined;
        if (!this.destroyed) this.syncDocuments();
      }, 0);
      return;
    }
    // The server keeps none of this document's changes from us: nothing here to undo or redo.
    if (event === 'refused') this.history.untrack(shared.doc);
    if (event === 'full') this.notice = 'writeRefusedFull';
    if (event === 'refused') this.notice = this.detail?.status === 'closed' ? 'writeRefusedClosed' : 'writeRefused';
    // The server closes all of an event's sockets at once: one reload for the lot.
    this.accessReload ??= setTimeout(() => {
      this.accessReload = undefined;
      if (!this.destroyed) void this.reload();
    }, 100);
  }

  /** Edits this browser held were not taken by the server before the document became read-only. */
  private editsDropped(): void {
    if (this.destroyed) return;
    this.notice = this.detail?.status === 'closed' ? 'writeRefusedClosed' : 'writeRefused';
  }

  select(element: ElementId | null): void {
    this.selected = element;
    if (element) this.tab = 'element';
    this.announcePresence();
  }

  chooseRoom(roomId: string): void {
    this.chosenRoomId = roomId;
    this.syncDocuments();
  }

  announcePresence(): void {
    const me = this.myCompanyId;
    this.room?.presence.announce({
      id: this.user.id,
      name: this.user.displayName,
      eventCompanyId: me,
      color: me ? this.colorOf(me) : '#555',
      element: this.selected,
    });
  }

  destroy(): void {
    this.destroyed = true;
    clearTimeout(this.accessReload);
    clearTimeout(this.reopenTimer);
    this.closeRoom();
    for (const sheet of Object.values(this.sheets)) this.closeSheet(sheet);
    this.sheets = {};
    this.connection.destroy();
    this.membership.destroy();
    this.outbox.destroy();
    this.meetup.destroy();
    this.history.destroy();
    this.socket.disconnect();
  }

  private async subscribe(): Promise<void> {
    try {
      await request(this.socket, 'event:subscribe', { eventId: this.eventId });
      await Promise.all([this.scores.load(), this.cardMeta.load(), this.meetup.load()]);
    } catch (err) {
      // Offline again before the answer: the indicator says so, and the next 'connect' retries.
      if (this.socket.connected && !this.destroyed) this.error = errorMessage(err);
    }
  }

  /**
   * Opens the documents the current view needs and closes the rest. A document is opened
   * read-only when this viewer may not write it, and opened again when that changes (the event
   * closed): see openSharedDoc for why (an edit the server refuses must not stay in this browser).
   * Undo tracks only documents the viewer may write, so closing the event clears it.
   */
  private syncDocuments(): void {
    const roomId = this.roomId;
    const roomReadOnly = !this.mayWrite(null);
    const room = this.room;
    // A writable copy about to be reopened read-only: what it held, to tell whether edits are lost.
    const roomBefore = room && room.roomId === roomId && !room.shared.readOnly && roomReadOnly ? Y.encodeStateVector(room.shared.doc) : null;
    if (room && (room.roomId !== roomId || room.shared.readOnly !== roomReadOnly || this.diverged.has(room.shared.name))) this.closeRoom();
    if (!this.room && roomId) {
      const shared = openSharedDoc(roomDocName(roomId), this.user.id, { readOnly: roomReadOnly });
      shared.onAccess = (event) => this.onAccess(shared, event);
      if (roomBefore) reportDroppedEdits(roomBefore, shared, () => this.editsDropped());
      this.connection.track(shared.provider);
      this.room = { roomId, shared, version: new DocVersion(shared.doc), presence: new PresenceModel(shared.provider.awareness) };
      this.announcePresence();
    }
    if (this.room && !this.room.shared.readOnly) this.history.track(this.room.shared.doc);
    const wanted = new Set(this.companies.map((c) => c.id));
    const next: Record<string, SheetModel> = {};
    const sheetsBefore = new Map<string, Uint8Array>();
    for (const [id, sheet] of Object.entries(this.sheets)) {
      if (wanted.has(id) && sheet.readOnly === !this.canEdit(id) && !this.diverged.has(sheet.shared.name)) next[id] = sheet;
      else {
        if (wanted.has(id) && !sheet.readOnly && !this.canEdit(id)) sheetsBefore.set(id, Y.encodeStateVector(sheet.doc));
        this.closeSheet(sheet);
      }
    }
    for (const id of wanted) {
      if (!next[id]) {
        const sheet = new SheetModel(id, this.user.id, { readOnly: !this.canEdit(id) });
        sheet.shared.onAccess = (event) => this.onAccess(sheet.shared, event);
        const before = sheetsBefore.get(id);
        if (before) reportDroppedEdits(before, sheet.shared, () => this.editsDropped());
        this.connection.track(sheet.shared.provider);
        sheet.onDelete = (doc, what, remove) => this.history.deleteWithOffer(doc, what, remove);
        next[id] = sheet;
      }
      // Only this user's own (local) edits are ever recorded. Tracked again after a refusal
      // (onAccess) when the server's answer says the viewer may write it after all.
      if (!next[id].readOnly) this.history.track(next[id].doc);
    }
    this.diverged.clear();
    this.sheets = next;
  }

  private closeRoom(): void {
    if (!this.room) return;
    this.connection.untrack(this.room.shared.provider);
    this.history.untrack(this.room.shared.doc);
    this.room.presence.destroy();
    this.room.version.destroy();
    this.room.shared.destroy();
    this.room = null;
  }

  private closeSheet(sheet: SheetModel): void {
    this.connection.untrack(sheet.shared.provider);
    this.history.untrack(sheet.doc);
    sheet.destroy();
  }
}

/**
 * The room the viewer's company was moved to (its name; null: out of every room), when that is all
 * that changed (same role, status and company); undefined otherwise.
 */
function movedRoom(before: EventDetail, after: EventDetail): string | null | undefined {
  const same = before.role === after.role && before.status === after.status && before.myEventCompanyId === after.myEventCompanyId;
  if (!same || !after.myEventCompanyId) return undefined;
  const roomOf = (detail: EventDetail) => detail.companies.find((c) => c.id === detail.myEventCompanyId)?.roomId ?? null;
  const roomId = roomOf(after);
  if (roomId === roomOf(before)) return undefined;
  return roomId ? (after.rooms.find((r) => r.id === roomId)?.name ?? null) : null;
}

/** What decides the viewer's edit rights (see canEdit and the server's docAccess). */
function rightsOf(detail: EventDetail): string {
  const seat = detail.companies.find((c) => c.id === detail.myEventCompanyId);
  return JSON.stringify([detail.role, detail.status, detail.myEventCompanyId, seat?.roomId ?? null]);
}
