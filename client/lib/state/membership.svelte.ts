// The company boundary as the board sees it: "○○さんが△△に参加しました" notices for the viewer's
// company, and whether the viewer was removed from the event (then the board shows a page saying
// so instead of the documents, which the server has closed).
import type { ControlSocket } from '../api/control-socket.ts';
import { isStatus } from '../format.ts';

export interface JoinedNotice {
  id: number;
  eventCompanyId: string;
  displayName: string;
}

/** Notices disappear by themselves after this long (and can be dismissed before). */
const NOTICE_MS = 20_000;
const MAX_NOTICES = 3;

export class MembershipModel {
  /** Someone joined the viewer's company (newest last). */
  joined = $state<JoinedNotice[]>([]);
  /** The server no longer counts the viewer as a member: removed, or never joined. */
  removed = $state(false);
  /** This browser had this event's board open as a member before: so "removed", not "never joined". */
  wasMember = $state(false);
  private nextId = 1;
  private timers = new Set<ReturnType<typeof setTimeout>>();

  constructor(
    socket: ControlSocket,
    private readonly eventId: string,
    private readonly userId: string,
  ) {
    this.wasMember = readMemory(this.key);
    socket.on('company:member-joined', (payload) => {
      if (payload.eventId !== eventId || payload.userId === userId) return;
      const notice = { id: this.nextId++, eventCompanyId: payload.eventCompanyId, displayName: payload.displayName };
      this.joined = [...this.joined, notice].slice(-MAX_NOTICES);
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.dismiss(notice.id);
      }, NOTICE_MS);
      this.timers.add(timer);
    });
    socket.on('member:removed', (payload) => {
      if (payload.eventId === eventId) this.markRemoved();
    });
  }

  private get key(): string {
    return `kizuki:member:${this.eventId}:${this.userId}`;
  }

  dismiss(id: number): void {
    this.joined = this.joined.filter((n) => n.id !== id);
  }

  /** The event loaded: the viewer is a member (remembered, so a later 403 reads as "removed"). */
  loaded(): void {
    this.removed = false;
    this.wasMember = true;
    writeMemory(this.key, true);
  }

  /** The event failed to load: a 403 means the viewer is not (or no longer) a member. Returns true then. */
  loadFailed(err: unknown): boolean {
    if (!isStatus(err, 403)) return false;
    this.markRemoved();
    return true;
  }

  private markRemoved(): void {
    this.removed = true;
    this.joined = [];
  }

  destroy(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }
}

function readMemory(key: string): boolean {
  try {
    return localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}

function writeMemory(key: string, value: boolean): void {
  try {
    if (value) localStorage.setItem(key, '1');
    else localStorage.removeItem(key);
  } catch {
    // private mode: the page then says "not a member" instead of "removed"
  }
}
