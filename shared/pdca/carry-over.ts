// 前回から引き継ぎ: a company starts a session of its series from its last worksheet. Only the
// worksheet travels (理念, what is done and with what frequency, what is not done yet, memos, its
// own figures); 気付き cards belong to the session they were posted in. The copy is written fresh
// into the new document (new item ids, plain text), so the old session stays untouched as a record.
import * as Y from 'yjs';
import { ELEMENT_IDS } from '../jcrm/elements.ts';
import { newListItem, readListLines, sheetActuals, sheetCarried, sheetDoing, sheetMemo, sheetNotYet, sheetPhilosophy } from '../protocol/doc-shapes.ts';
import { elementFingerprint, elementHasEntry } from '../protocol/sheet-progress.ts';

/** Copies the worksheet of `from` into `to` (expected empty), reading `from` defensively. */
export function copyWorksheet(from: Y.Doc, to: Y.Doc, newId: () => string): void {
  to.transact(() => {
    const philosophy = sheetPhilosophy(from).toString();
    if (philosophy) sheetPhilosophy(to).insert(0, philosophy);
    for (const element of ELEMENT_IDS) {
      const doing = readListLines(from, 'doing', element).map((line) => newListItem(newId(), line.text, line.frequency));
      if (doing.length > 0) sheetDoing(to, element).push(doing);
      const notYet = readListLines(from, 'notYet', element).map((line) => newListItem(newId(), line.text));
      if (notYet.length > 0) sheetNotYet(to, element).push(notYet);
      const memo = sheetMemo(from, element).toString();
      if (memo) sheetMemo(to, element).insert(0, memo);
    }
    for (const [key, value] of sheetActuals(from).entries()) {
      if (typeof value === 'number' && Number.isFinite(value)) sheetActuals(to).set(key, value);
    }
    // What each element holds as carried, so the console counts only this session's work.
    for (const element of ELEMENT_IDS) {
      if (elementHasEntry(to, element)) sheetCarried(to).set(element, elementFingerprint(to, element));
    }
  });
}

/** Empties a worksheet (「白紙から始める」); cards stay. */
export function clearWorksheet(doc: Y.Doc): void {
  doc.transact(() => {
    const philosophy = sheetPhilosophy(doc);
    if (philosophy.length > 0) philosophy.delete(0, philosophy.length);
    for (const element of ELEMENT_IDS) {
      for (const list of [sheetDoing(doc, element), sheetNotYet(doc, element)]) if (list.length > 0) list.delete(0, list.length);
      const memo = sheetMemo(doc, element);
      if (memo.length > 0) memo.delete(0, memo.length);
    }
    const actuals = sheetActuals(doc);
    for (const key of [...actuals.keys()]) actuals.delete(key);
    try {
      const carried = sheetCarried(doc);
      for (const key of [...carried.keys()]) carried.delete(key);
    } catch {
      // A 'carried' root of another type (a hostile client): it only ever fed the console's count.
    }
  });
}

export interface PastSession {
  eventCompanyId: string;
  date: string;
  createdAt: number;
}

/** When a session took place, as the series orders its sessions: by date, then by creation. */
export interface SessionTime {
  date: string;
  createdAt: number;
}

/** Whether `a` comes before `b` in the series. */
export function isEarlierSession(a: SessionTime, b: SessionTime): boolean {
  return a.date < b.date || (a.date === b.date && a.createdAt < b.createdAt);
}

/** The company's latest earlier session (by date, then creation) to carry over from, or null. */
export function previousSession(past: PastSession[], current: SessionTime): PastSession | null {
  let latest: PastSession | null = null;
  for (const s of past) if (isEarlierSession(s, current) && (!latest || isEarlierSession(latest, s))) latest = s;
  return latest;
}
