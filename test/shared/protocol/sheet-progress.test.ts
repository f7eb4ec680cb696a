import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newListItem, sheetDoing, sheetMemo, sheetNotYet, sheetPhilosophy } from '../../../shared/protocol/doc-shapes.ts';
import { elementHasEntry, worksheetProgress } from '../../../shared/protocol/sheet-progress.ts';

describe('worksheet progress', () => {
  it('counts the elements with at least one list entry, or 理念 text', () => {
    const doc = new Y.Doc();
    expect(worksheetProgress(doc)).toEqual({ filled: 0, total: 10 });
    sheetDoing(doc, 'customers').push([newListItem('a', '会員制度', '毎月')]);
    sheetDoing(doc, 'customers').push([newListItem('b', 'DM')]);
    sheetNotYet(doc, 'brand').push([newListItem('c', 'ロゴ')]);
    sheetPhilosophy(doc).insert(0, 'お客様の暮らしを豊かに');
    expect(worksheetProgress(doc)).toEqual({ filled: 3, total: 10 });
  });

  it('ignores a memo alone and blank 理念 text', () => {
    const doc = new Y.Doc();
    sheetMemo(doc, 'data').insert(0, 'メモだけ');
    sheetPhilosophy(doc).insert(0, '   ');
    expect(elementHasEntry(doc, 'data')).toBe(false);
    expect(elementHasEntry(doc, 'philosophy')).toBe(false);
  });

  it('counts within the covered elements when the session covers only some', () => {
    const doc = new Y.Doc();
    sheetDoing(doc, 'customers').push([newListItem('a', 'x')]);
    sheetDoing(doc, 'pr').push([newListItem('b', 'y')]);
    expect(worksheetProgress(doc, ['customers', 'brand'])).toEqual({ filled: 1, total: 2 });
  });

  it('counts an out-of-shape entry as an entry (something was written)', () => {
    const doc = new Y.Doc();
    (sheetNotYet(doc, 'people') as unknown as Y.Array<unknown>).push(['junk']);
    expect(elementHasEntry(doc, 'people')).toBe(true);
  });
});
