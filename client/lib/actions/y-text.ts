// Binds an <input> or <textarea> to a Y.Text: local typing becomes minimal Y.Text edits (so two
// people typing at once both keep their keystrokes); remote edits update the field and keep the
// caret where it was relative to the text around it.
//
// IME input (Japanese kana → kanji) is composed in the field first: the intermediate states are
// not the user's text, so they are not shared, and writing node.value mid-composition cancels it
// (lost or doubled input in Chrome/Safari). So while composing we leave the field alone, remember
// the remote deltas that arrive, and on compositionend apply the whole composed edit at once,
// mapped through those deltas, then show the merged text.
import * as Y from 'yjs';
import { LocalEdit } from '../state/local-edit.ts';

type Field = HTMLInputElement | HTMLTextAreaElement;

/** Dispatched on the field whenever the binding sets its value (no 'input' event fires then). */
export const Y_TEXT_SET = 'ytextset';
type Delta = Array<{ insert?: unknown; retain?: number; delete?: number }>;

export function yText(node: Field, text: Y.Text) {
  let current = text;
  // This field's own edits (skipped when echoing changes into it); undo tracks every LocalEdit.
  const origin = new LocalEdit();
  /** Set while an IME composition is open: the text the field showed when it started. */
  let composing: { baseline: string; from: number; remote: Delta[] } | null = null;
  const setValue = (value: string) => {
    node.value = value;
    node.dispatchEvent(new Event(Y_TEXT_SET));
  };
  setValue(current.toString());

  const syncLocal = () => {
    const change = diff(current.toString(), node.value);
    if (change) apply(change.start, change.end, change.inserted);
  };

  const onInput = (event: Event) => {
    if (!composing && !(event as InputEvent).isComposing) syncLocal();
  };

  const apply = (start: number, end: number, inserted: string) => {
    current.doc!.transact(() => {
      if (end > start) current.delete(start, end - start);
      if (inserted) current.insert(start, inserted);
    }, origin);
  };

  const onCompositionStart = () => {
    composing = { baseline: current.toString(), from: node.selectionStart ?? 0, remote: [] };
  };

  const onCompositionEnd = () => {
    if (!composing) return syncLocal(); // a composition we did not see start (its input was skipped)
    const { baseline, from, remote } = composing;
    composing = null;
    const caret = node.selectionEnd ?? node.value.length;
    const change = diff(baseline, node.value, from);
    // Where the caret lands in the merged text, starting from the baseline position it maps to.
    let newCaret = mapThrough(Math.min(caret, baseline.length), remote);
    if (change) {
      const start = mapThrough(change.start, remote);
      // A remote insert inside a replaced range would be deleted with it; IME compositions rarely
      // replace text (they mostly insert at the caret), so that small risk is accepted.
      const end = Math.max(start, mapThrough(change.end, remote));
      apply(start, end, change.inserted);
      const insertedEnd = change.start + change.inserted.length;
      if (caret >= change.start && caret <= insertedEnd) newCaret = start + (caret - change.start);
      else if (caret > insertedEnd) {
        newCaret = mapThrough(caret - insertedEnd + change.end, remote) - (end - start) + change.inserted.length;
      }
    }
    const merged = current.toString();
    if (node.value !== merged) {
      setValue(merged);
      if (document.activeElement === node) node.setSelectionRange(newCaret, newCaret);
    }
  };

  const onRemote = (event: Y.YTextEvent, transaction: Y.Transaction) => {
    if (transaction.origin === origin) return;
    if (composing) {
      composing.remote.push(event.delta as Delta);
      return;
    }
    const focused = document.activeElement === node;
    const selStart = node.selectionStart ?? 0;
    const selEnd = node.selectionEnd ?? 0;
    setValue(current.toString());
    if (focused) node.setSelectionRange(shiftIndex(selStart, event.delta), shiftIndex(selEnd, event.delta));
  };

  node.addEventListener('input', onInput);
  node.addEventListener('compositionstart', onCompositionStart);
  node.addEventListener('compositionend', onCompositionEnd);
  current.observe(onRemote);
  return {
    update(next: Y.Text) {
      if (next === current) return;
      current.unobserve(onRemote);
      current = next;
      composing = null;
      setValue(current.toString());
      current.observe(onRemote);
    },
    destroy() {
      node.removeEventListener('input', onInput);
      node.removeEventListener('compositionstart', onCompositionStart);
      node.removeEventListener('compositionend', onCompositionEnd);
      current.unobserve(onRemote);
    },
  };
}

/**
 * The single replaced range that turns `before` into `after` (common prefix and suffix kept).
 * `maxStart` (where the edit began) places an ambiguous edit, e.g. "あ" typed next to "あ".
 */
function diff(before: string, after: string, maxStart = Infinity): { start: number; end: number; inserted: string } | null {
  if (before === after) return null;
  let start = 0;
  while (start < maxStart && start < before.length && start < after.length && before[start] === after[start]) start++;
  let endBefore = before.length;
  let endAfter = after.length;
  while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
    endBefore--;
    endAfter--;
  }
  return { start, end: endBefore, inserted: after.slice(start, endAfter) };
}

function mapThrough(index: number, deltas: Delta[]): number {
  return deltas.reduce((i, delta) => shiftIndex(i, delta), index);
}

/** Where a caret at `index` in the old text lands after applying a Y.Text delta. */
export function shiftIndex(index: number, delta: Array<{ insert?: unknown; retain?: number; delete?: number }>): number {
  let oldPos = 0;
  let result = index;
  for (const op of delta) {
    if (oldPos >= index) break;
    if (op.retain !== undefined) oldPos += op.retain;
    else if (op.insert !== undefined) result += typeof op.insert === 'string' ? op.insert.length : 1;
    else if (op.delete !== undefined) {
      result -= Math.min(op.delete, index - oldPos);
      oldPos += op.delete;
    }
  }
  return result;
}
