// Undo / redo of this user's own edits on the board. One Y.UndoManager per document the user
// writes (their company's worksheet and cards; for facilitators also the room's cards and any
// company's sheet), tracking only local origins, so another member's edit is never undone. Undo
// steps back through all of them in the order the edits were made. A deletion is kept as its
// own step, so 「元に戻す」 right after it restores exactly what was deleted. Only documents the
// viewer may write are tracked (BoardState): once the event closes, or the server refuses a
// document's writes, it is untracked and its steps dropped, so 元に戻す cannot change what the
// server will not take (see openSharedDoc's readOnly).
import * as Y from 'yjs';
import { LocalEdit } from './local-edit.ts';

/** Keystrokes within this long of each other are one undo step. */
const CAPTURE_MS = 700;
/** How long 「元に戻す」 is offered after a deletion. */
export const DELETION_OFFER_MS = 6000;

export interface DeletionOffer {
  id: number;
  what: 'card' | 'line';
}

interface Tracked {
  manager: Y.UndoManager;
}

/** Whether a transaction inserted or deleted anything. */
function changedSomething(transaction: Y.Transaction): boolean {
  if (transaction.deleteSet.clients.size > 0) return true;
  for (const [client, clock] of transaction.afterState) if (clock > (transaction.beforeState.get(client) ?? 0)) return true;
  return false;
}

export class UndoHistory {
  canUndo = $state(false);
  canRedo = $state(false);
  /** A deletion just made, offered for 「元に戻す」 until it expires or anything else is edited. */
  offer = $state<DeletionOffer | null>(null);
  private readonly tracked = new Map<Y.Doc, Tracked>();
  /** Documents in the order their undo steps were made (the newest last). */
  private undoOrder: Y.Doc[] = [];
  private redoOrder: Y.Doc[] = [];
  private offerStep: { doc: Y.Doc; item: unknown } | null = null;
  private offerTimer: ReturnType<typeof setTimeout> | undefined;
  private nextOfferId = 1;

  track(doc: Y.Doc): void {
    if (this.tracked.has(doc)) return;
    const manager = new Y.UndoManager(doc, {
      trackedOrigins: new Set<unknown>([null, LocalEdit]),
      captureTimeout: CAPTURE_MS,
      // Only transactions that changed something: reading a root type that arrived from the server
      // before it was read here runs an empty local transaction (Yjs re-integrates the type).
      captureTransaction: changedSomething,
    });
    manager.on('stack-item-added', (event: { type: 'undo' | 'redo' }) => {
      if (event.type === 'undo') {
        this.undoOrder.push(doc);
        // A fresh edit (not a redo) ends every redo path, in every document.
        if (!manager.redoing) {
          this.redoOrder = [];
          for (const [other, t] of this.tracked) if (other !== doc) t.manager.clear(false, true);
        }
      } else {
        this.redoOrder.push(doc);
      }
      const supersedesOffer = !manager.undoing && !manager.redoing && this.offerStep !== null && manager.undoStack.at(-1) !== this.offerStep.item;
      // Transactions can run while the page renders (a field bound to a Y.Text): state changes wait.
      queueMicrotask(() => {
        if (supersedesOffer) this.withdrawOffer();
        this.refresh();
      });
    });
    manager.on('stack-item-updated', () => {
      if (this.offerStep && this.offerStep.doc === doc && manager.undoStack.at(-1) !== this.offerStep.item) queueMicrotask(() => this.withdrawOffer());
    });
    this.tracked.set(doc, { manager });
  }

  untrack(doc: Y.Doc): void {
    const entry = this.tracked.get(doc);
    if (!entry) return;
    entry.manager.destroy();
    this.tracked.delete(doc);
    this.undoOrder = this.undoOrder.filter((d) => d !== doc);
    this.redoOrder = this.redoOrder.filter((d) => d !== doc);
    if (this.offerStep?.doc === doc) this.withdrawOffer();
    this.refresh();
  }

  undo(): void {
    this.withdrawOffer();
    while (this.undoOrder.length > 0) {
      const doc = this.undoOrder.pop()!;
      const manager = this.tracked.get(doc)?.manager;
      if (manager && manager.undoStack.length > 0) {
        manager.undo();
        break;
      }
    }
    this.refresh();
  }

  redo(): void {
    while (this.redoOrder.length > 0) {
      const doc = this.redoOrder.pop()!;
      const manager = this.tracked.get(doc)?.manager;
      if (manager && manager.redoStack.length > 0) {
        manager.redo();
        break;
      }
    }
    this.refresh();
  }

  /**
   * Runs a deletion as one undo step of its own and offers 「元に戻す」 for it. `remove` must
   * write `doc` with no origin (the app's own edit).
   */
  deleteWithOffer(doc: Y.Doc, what: DeletionOffer['what'], remove: () => void): void {
    const manager = this.tracked.get(doc)?.manager;
    manager?.stopCapturing();
    remove();
    if (!manager || manager.undoStack.length === 0) return;
    manager.stopCapturing();
    this.withdrawOffer();
    this.offerStep = { doc, item: manager.undoStack.at(-1) };
    this.offer = { id: this.nextOfferId++, what };
    this.offerTimer = setTimeout(() => this.withdrawOffer(), DELETION_OFFER_MS);
  }

  /** 「元に戻す」 on the offer: undoes the deletion if it is still the latest step. */
  takeOffer(): void {
    const step = this.offerStep;
    this.withdrawOffer();
    const manager = step && this.tracked.get(step.doc)?.manager;
    if (!step || !manager || manager.undoStack.at(-1) !== step.item) return;
    const index = this.undoOrder.lastIndexOf(step.doc);
    if (index >= 0) this.undoOrder.splice(index, 1);
    manager.undo();
    this.refresh();
  }

  withdrawOffer(): void {
    clearTimeout(this.offerTimer);
    this.offerStep = null;
    this.offer = null;
  }

  destroy(): void {
    this.withdrawOffer();
    for (const doc of [...this.tracked.keys()]) this.untrack(doc);
  }

  private refresh(): void {
    this.canUndo = this.undoOrder.some((doc) => (this.tracked.get(doc)?.manager.undoStack.length ?? 0) > 0);
    this.canRedo = this.redoOrder.some((doc) => (this.tracked.get(doc)?.manager.redoStack.length ?? 0) > 0);
  }
}
