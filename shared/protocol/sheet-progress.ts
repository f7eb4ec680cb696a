// How far a company's worksheet has got in this session: the elements with at least one entry,
// leaving out those carried over from the last session (前回から引き継ぎ) and not touched since.
// Read defensively (a document is written by clients), for the facilitator console's at-a-glance view.
import type * as Y from 'yjs';
import { ELEMENT_IDS, type ElementId } from '../jcrm/elements.ts';
import { readListLines, sheetActuals, sheetCarried, sheetDoing, sheetMemo, sheetNotYet, sheetPhilosophy } from './doc-shapes.ts';

/**
 * Whether anything is written for the element: a list entry, one of its figures (実績), or for 理念
 * the company's text. A memo alone does not count: it is a note beside the worksheet, not in it.
 */
export function elementHasEntry(doc: Y.Doc, element: ElementId): boolean {
  try {
    if (sheetDoing(doc, element).length > 0 || sheetNotYet(doc, element).length > 0) return true;
    if ([...sheetActuals(doc).entries()].some(([key, value]) => key.startsWith(`${element}:`) && typeof value === 'number')) return true;
    return element === 'philosophy' && sheetPhilosophy(doc).toString().trim() !== '';
  } catch {
    // A root of another type than ours (a hostile client): nothing readable is written there.
    return false;
  }
}

/**
 * What the element holds, as one string that changes with any line, frequency, memo or figure
 * (blank lines left out, as a copy leaves them out).
 */
export function elementFingerprint(doc: Y.Doc, element: ElementId): string {
  // Figures as a copy takes them (numbers only): one typed and cleared again reads as untouched.
  const actuals = [...sheetActuals(doc).entries()]
    .filter(([key, value]) => key.startsWith(`${element}:`) && typeof value === 'number' && Number.isFinite(value))
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify([
    element === 'philosophy' ? sheetPhilosophy(doc).toString() : '',
    readListLines(doc, 'doing', element),
    readListLines(doc, 'notYet', element),
    sheetMemo(doc, element).toString(),
    actuals,
  ]);
}

/** Whether the element still holds exactly what was carried over into it. */
function carriedUnchanged(doc: Y.Doc, element: ElementId): boolean {
  try {
    const carried = sheetCarried(doc).get(element);
    return typeof carried === 'string' && carried === elementFingerprint(doc, element);
  } catch {
    return false;
  }
}

/**
 * The elements (of `scope`; all ten when empty) written in this session, and how many there are:
 * entries carried over and left as they were do not count.
 */
export function worksheetProgress(doc: Y.Doc, scope: readonly ElementId[] = []): { filled: number; total: number } {
  const elements = scope.length > 0 ? scope : ELEMENT_IDS;
  const filled = elements.filter((element) => elementHasEntry(doc, element) && !carriedUnchanged(doc, element)).length;
  return { filled, total: elements.length };
}
