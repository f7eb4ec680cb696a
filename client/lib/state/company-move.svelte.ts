// Moving companies between breakout rooms on the console, by mouse (drag and drop) or by keyboard
// and touch: pick a company up (Enter / Space / tap), choose the room with the arrow keys or the
// room's "move here" button, drop with Enter; Escape puts it back. A live region says what happens.
import { t } from '../i18n/i18n.svelte.ts';

/** A room id, or null for "unseated". */
export type MoveTarget = string | null;

export interface MoveHost {
  /** Every place a company can go, in screen order (rooms, then unseated). */
  targets(): MoveTarget[];
  roomOf(eventCompanyId: string): MoveTarget;
  companyName(eventCompanyId: string): string;
  targetName(target: MoveTarget): string;
  move(eventCompanyId: string, target: MoveTarget): Promise<boolean>;
}

export class CompanyMove {
  /** The company picked up by keyboard or tap, waiting for a target. */
  picked = $state<string | null>(null);
  /** Where it would go (the arrow keys change it). */
  target = $state<MoveTarget>(null);
  /** The company being dragged with the mouse. */
  dragging = $state<string | null>(null);
  /** Said by the live region (screen readers). */
  announcement = $state('');
  /** The company whose chip should take the focus once it shows in its new place. */
  focusAfterMove = $state<string | null>(null);

  constructor(private readonly host: MoveHost) {}

  pick(eventCompanyId: string): void {
    this.picked = eventCompanyId;
    this.target = this.host.roomOf(eventCompanyId);
    this.announcement = t('movePicked', { company: this.host.companyName(eventCompanyId), room: this.host.targetName(this.target) });
  }

  /** Moves the target to the next (+1) or previous (-1) place. */
  cycle(delta: 1 | -1): void {
    const targets = this.host.targets();
    if (this.picked === null || targets.length === 0) return;
    const i = targets.indexOf(this.target);
    this.target = targets[(i + delta + targets.length) % targets.length] ?? null;
    this.announcement = t('moveTarget', { room: this.host.targetName(this.target) });
  }

  cancel(): void {
    if (this.picked === null) return;
    this.picked = null;
    this.announcement = t('moveCancelled');
  }

  /** Drops the picked company into `target` (default: the one the arrow keys chose). */
  async drop(target: MoveTarget = this.target): Promise<void> {
    const id = this.picked;
    if (id === null) return;
    this.picked = null;
    await this.moveTo(id, target);
  }

  /** A key on a company's chip; true when handled (the caller then prevents the default). */
  onKey(eventCompanyId: string, key: string): boolean {
    if (this.picked !== eventCompanyId) return false;
    if (key === 'ArrowRight' || key === 'ArrowDown') this.cycle(1);
    else if (key === 'ArrowLeft' || key === 'ArrowUp') this.cycle(-1);
    else if (key === 'Enter' || key === ' ') void this.drop();
    else if (key === 'Escape') this.cancel();
    else return false;
    return true;
  }

  /** A click or tap on a chip: pick it up, or put it back if it was picked. */
  toggle(eventCompanyId: string): void {
    if (this.picked === eventCompanyId) this.cancel();
    else this.pick(eventCompanyId);
  }

  dragStart(eventCompanyId: string): void {
    this.picked = null;
    this.dragging = eventCompanyId;
  }

  dragEnd(): void {
    this.dragging = null;
  }

  async dropDragged(eventCompanyId: string, target: MoveTarget): Promise<void> {
    this.dragging = null;
    await this.moveTo(eventCompanyId, target, false);
  }

  /** `refocus`: a keyboard move keeps the focus on the chip, which re-renders in its new room. */
  private async moveTo(eventCompanyId: string, target: MoveTarget, refocus = true): Promise<void> {
    const name = this.host.companyName(eventCompanyId);
    if (refocus) this.focusAfterMove = eventCompanyId;
    if (this.host.roomOf(eventCompanyId) === target) {
      this.announcement = t('moveCancelled');
      return;
    }
    if (await this.host.move(eventCompanyId, target)) this.announcement = t('moveDone', { company: name, room: this.host.targetName(target) });
  }
}
