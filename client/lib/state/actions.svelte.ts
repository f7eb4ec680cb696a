// The viewer's company's take-home actions (持ち帰り) in this session, and the previous session's
// open ones to review. Reloaded when the server pushes actions:changed for the company.
import { pdcaApi, type Action, type ActionsView } from '../api/pdca.ts';
import { errorMessage } from '../error-message.ts';
import type { ElementId } from '../../../shared/jcrm/elements.ts';

export class ActionsModel {
  view = $state<ActionsView | null>(null);
  error = $state<string | null>(null);
  private loads = 0;

  constructor(
    readonly eventId: string,
    readonly eventCompanyId: string,
  ) {}

  async load(): Promise<void> {
    const load = ++this.loads;
    try {
      const view = await pdcaApi.actions(this.eventId, this.eventCompanyId);
      if (load === this.loads) {
        this.view = view;
        this.error = null;
      }
    } catch (err) {
      if (load === this.loads) this.error = errorMessage(err);
    }
  }

  /** The cards this company's actions were made from (「アクションにする」). */
  readonly sourceCardIds: ReadonlySet<string> = $derived(new Set((this.view?.actions ?? []).flatMap((a) => (a.sourceCardId ? [a.sourceCardId] : []))));

  of(element: ElementId): Action[] {
    return (this.view?.actions ?? []).filter((a) => a.element === element);
  }

  async add(element: ElementId, text: string, options: { ownerUserId?: string | null; dueDate?: string | null; sourceCardId?: string } = {}): Promise<boolean> {
    return this.run(() => pdcaApi.addAction(this.eventId, this.eventCompanyId, { element, text, ...options }));
  }

  update(action: Action, change: { status?: 'open' | 'done' | 'dropped'; ownerUserId?: string | null; dueDate?: string | null; text?: string }): Promise<boolean> {
    return this.run(() => pdcaApi.updateAction(action.id, change));
  }

  carry(action: Action): Promise<boolean> {
    return this.run(() => pdcaApi.carryAction(action.id, this.eventCompanyId));
  }

  private async run(call: () => Promise<unknown>): Promise<boolean> {
    try {
      await call();
      this.error = null;
      await this.load();
      return true;
    } catch (err) {
      // Refused (e.g. a colleague reviewed it a moment ago): show the list as it is now, and why.
      const message = errorMessage(err);
      await this.load();
      this.error = message;
      return false;
    }
  }
}
