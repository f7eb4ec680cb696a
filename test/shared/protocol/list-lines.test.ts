// readListLines: worksheet lines as plain text, whatever a client wrote into the list.
import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { newListItem, readListLines, sheetDoing, sheetNotYet } from '../../../shared/protocol/doc-shapes.ts';

describe('readListLines', () => {
  it('reads text and frequency of doing lines, text only of not-yet lines', () => {
    const doc = new Y.Doc();
    sheetDoing(doc, 'customers').push([newListItem('a', '会員制度', '毎月'), newListItem('b', '誕生日のお手紙')]);
    sheetNotYet(doc, 'customers').push([newListItem('c', 'アンケート', '週1')]);
    expect(readListLines(doc, 'doing', 'customers')).toEqual([
      { text: '会員制度', frequency: '毎月' },
      { text: '誕生日のお手紙', frequency: '' },
    ]);
    expect(readListLines(doc, 'notYet', 'customers')).toEqual([{ text: 'アンケート', frequency: '' }]);
    expect(readListLines(doc, 'doing', 'brand')).toEqual([]);
  });

  it('leaves out what is not a line: other types, missing or blank text; accepts plain strings', () => {
    const doc = new Y.Doc();
    const odd = new Y.Map<unknown>();
    odd.set('text', 42);
    const blank = newListItem('b', '   ');
    const plain = new Y.Map<unknown>();
    plain.set('text', '文字列のまま');
    plain.set('frequency', 7);
    sheetDoing(doc, 'data').push(['a string', 3, odd, blank, plain] as never[]);
    expect(readListLines(doc, 'doing', 'data')).toEqual([{ text: '文字列のまま', frequency: '' }]);
  });
});
