// Carry-over of a worksheet into the next session: the content travels, cards and ids do not, the
// source is untouched; and which earlier session is "the last one".
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { clearWorksheet, copyWorksheet, isEarlierSession, previousSession } from '../../../shared/pdca/carry-over.ts';
import { docCards, newCard, newListItem, sheetActuals, sheetDoing, sheetMemo, sheetNotYet, sheetPhilosophy } from '../../../shared/protocol/doc-shapes.ts';

function filledSheet(): Y.Doc {
  const doc = new Y.Doc();
  sheetPhilosophy(doc).insert(0, 'お客様の暮らしを豊かに');
  sheetDoing(doc, 'customers').push([newListItem('a', '会員制度', '毎月'), newListItem('b', '   ')]);
  sheetNotYet(doc, 'customers').push([newListItem('c', '紹介制度')]);
  sheetMemo(doc, 'data').insert(0, 'RFM を始める');
  sheetActuals(doc).set('customers:0', 12.5);
  docCards(doc).set('card-1', newCard({ element: 'customers', text: '気付き' }));
  // Something a client wrote that is not an item: skipped, not copied.
  sheetDoing(doc, 'brand').push([new Y.Map()]);
  return doc;
}

describe('copyWorksheet', () => {
  it('copies 理念, lines (with frequency), memos and figures; not cards, empty lines or unreadable entries', () => {
    const from = filledSheet();
    const before = Y.encodeStateAsUpdate(from);
    const to = new Y.Doc();
    let n = 0;
    copyWorksheet(from, to, () => `new-${++n}`);
    expect(sheetPhilosophy(to).toString()).toBe('お客様の暮らしを豊かに');
    expect(sheetDoing(to, 'customers').toArray().map((m) => [m.get('id'), String(m.get('text')), String(m.get('frequency'))])).toEqual([['new-1', '会員制度', '毎月']]);
    expect(sheetNotYet(to, 'customers').toArray().map((m) => String(m.get('text')))).toEqual(['紹介制度']);
    expect(sheetMemo(to, 'data').toString()).toBe('RFM を始める');
    expect(sheetActuals(to).get('customers:0')).toBe(12.5);
    expect(docCards(to).size).toBe(0);
    expect(sheetDoing(to, 'brand').length).toBe(0);
    // The source is left exactly as it was.
    expect(Y.encodeStateAsUpdate(from)).toEqual(before);
  });

  it('clearWorksheet empties the worksheet and keeps the cards', () => {
    const doc = filledSheet();
    clearWorksheet(doc);
    expect(sheetPhilosophy(doc).length).toBe(0);
    expect(sheetDoing(doc, 'customers').length).toBe(0);
    expect(sheetMemo(doc, 'data').length).toBe(0);
    expect(sheetActuals(doc).size).toBe(0);
    expect(docCards(doc).size).toBe(1);
  });
});

describe('previousSession', () => {
  const s = (id: string, date: string, createdAt = 0) => ({ eventCompanyId: id, date, createdAt });
  it('is the latest session before this one, by date then creation', () => {
    expect(previousSession([s('a', '2026-09-01'), s('b', '2026-10-01'), s('c', '2026-12-01')], { date: '2026-11-01', createdAt: 5 })?.eventCompanyId).toBe('b');
    expect(previousSession([s('a', '2026-11-01', 1), s('b', '2026-11-01', 3)], { date: '2026-11-01', createdAt: 2 })?.eventCompanyId).toBe('a');
    expect(previousSession([s('c', '2026-12-01')], { date: '2026-11-01', createdAt: 0 })).toBeNull();
    expect(previousSession([], { date: '2026-11-01', createdAt: 0 })).toBeNull();
  });
});

describe('isEarlierSession', () => {
  it('orders by date, then by creation; a session is not earlier than itself', () => {
    expect(isEarlierSession({ date: '2026-05-12', createdAt: 9 }, { date: '2026-07-14', createdAt: 1 })).toBe(true);
    expect(isEarlierSession({ date: '2026-07-14', createdAt: 1 }, { date: '2026-05-12', createdAt: 9 })).toBe(false);
    expect(isEarlierSession({ date: '2026-07-14', createdAt: 1 }, { date: '2026-07-14', createdAt: 2 })).toBe(true);
    expect(isEarlierSession({ date: '2026-07-14', createdAt: 2 }, { date: '2026-07-14', createdAt: 2 })).toBe(false);
  });
});
