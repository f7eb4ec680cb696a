// Binds an <input> or <textarea> to a Y.Text: local typing becomes minimal Y.Text edits (so two
// people typing at once both keep their keystrokes); remote edits update the field and keep the
// caret where it was relative to the text around it.
import * as Y from 'yjs';

type Field = HTMLInputElement | HTMLTextAreaElement;

export function yText(node: Field, text: Y.Text) {
  let current = text;
  const origin = Symbol('local-input');
  node.value = current.toString();

  const onInput = () => {
    const before = current.toString();
    const after = node.value;
    if (before === after) return;
    let start = 0;
    while (start < before.length && start < after.length && before[start] === after[start]) start++;
    let endBefore = before.length;
    let endAfter = after.length;
    while (endBefore > start && endAfter > start && before[endBefore - 1] === after[endAfter - 1]) {
      endBefore--;
      endAfter--;
    }
    current.doc!.transact(() => {
      if (endBefore > start) current.delete(start, endBefore - start);
      if (endAfter > start) current.insert(start, after.slice(start, endAfter));
    }, origin);
  };

  const onRemote = (event: Y.YTextEvent, transaction: Y.Transaction) => {
    if (transaction.origin === origin) return;
    const focused = document.activeElement === node;
    const selStart = node.selectionStart ?? 0;
    const selEnd = node.selectionEnd ?? 0;
    node.value = current.toString();
    if (focused) node.setSelectionRange(shiftIndex(selStart, event.delta), shiftIndex(selEnd, event.delta));
  };

  node.addEventListener('input', onInput);
  current.observe(onRemote);
  return {
    update(next: Y.Text) {
      if (next === current) return;
      current.unobserve(onRemote);
      current = next;
      node.value = current.toString();
      current.observe(onRemote);
    },
    destroy() {
      node.removeEventListener('input', onInput);
      current.unobserve(onRemote);
    },
  };
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
