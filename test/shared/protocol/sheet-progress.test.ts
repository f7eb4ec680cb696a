import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newListItem, sheetActuals, sheetCarried, sheetDoing, sheetMemo, sheetNotYet, sheetPhilosophy } from '../../../shared/protocol/doc-shapes.ts';
import { clearWorksheet, copyWorksheet } from '../../../shared/pdca/carry-over.ts';
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

  it('counts an element whose only entry is one of its figures (実績)', () => {
    const doc = new Y.Doc();
    sheetActuals(doc).set('customers:0', 12.5);
    sheetActuals(doc).set('brand:0', null);
    expect(elementHasEntry(doc, 'customers')).toBe(true);
    expect(elementHasEntry(doc, 'brand')).toBe(false);
    expect(worksheetProgress(doc)).toEqual({ filled: 1, total: 10 });
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

describe('worksheet progress of a session that carried over the last worksheet', () => {
  function carried(): Y.Doc {
    const last = new Y.Doc();
    sheetPhilosophy(last).insert(0, 'お客様の暮らしを豊かに');
    sheetDoing(last, 'customers').push([newListItem('a', '会員制度', '毎月')]);
    sheetNotYet(last, 'brand').push([newListItem('b', 'ロゴの統一')]);
    const doc = new Y.Doc();
    let n = 0;
    copyWorksheet(last, doc, () => `id-${n++}`);
    return doc;
  }

  it('does not count carried elements left as they were', () => {
    const doc = carried();
    expect(elementHasEntry(doc, 'customers')).toBe(true);
    expect(worksheetProgress(doc)).toEqual({ filled: 0, total: 10 });
  });

  it('counts an element once this session writes in it: a new line, a reworded line, a memo, a figure, new 理念 text', () => {
    const doc = carried();
    sheetDoing(doc, 'data').push([newListItem('c', '購買データの分析')]);
    expect(worksheetProgress(doc).filled).toBe(1);
    ((sheetDoing(doc, 'customers').get(0) as Y.Map<unknown>).get('text') as Y.Text).insert(0, '新');
    expect(worksheetProgress(doc).filled).toBe(2);
    sheetMemo(doc, 'brand').insert(0, '来月から');
    expect(worksheetProgress(doc).filled).toBe(3);
    sheetPhilosophy(doc).insert(0, '全社で');
    expect(worksheetProgress(doc).filled).toBe(4);
    const figures = carried();
    sheetActuals(figures).set('customers:0', 12);
    expect(worksheetProgress(figures).filled).toBe(1);
    // A figure typed and cleared again: as carried.
    const cleared = carried();
    sheetActuals(cleared).set('customers:0', null);
    expect(worksheetProgress(cleared).filled).toBe(0);
  });

  it('a blank line added to a carried element is not work yet; clearing the sheet forgets what was carried', () => {
    const doc = carried();
    sheetNotYet(doc, 'brand').push([newListItem('d', '')]);
    expect(worksheetProgress(doc).filled).toBe(0);
    clearWorksheet(doc);
    sheetDoing(doc, 'customers').push([newListItem('e', '会員制度', '毎月')]);
    expect(worksheetProgress(doc).filled).toBe(1);
  });

  it('a carried marker of the wrong type (a hostile client) counts the element as written', () => {
    const doc = carried();
    sheetCarried(doc).set('customers', 42);
    expect(worksheetProgress(doc).filled).toBe(1);
  });
});
