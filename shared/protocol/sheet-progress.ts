// How far a company's worksheet has got: the elements with at least one entry. Read defensively
// (a document is written by clients), for the facilitator console's at-a-glance view.
import type * as Y from 'yjs';
import { ELEMENT_IDS, type ElementId } from '../jcrm/elements.ts';
import { sheetDoing, sheetNotYet, sheetPhilosophy } from './doc-shapes.ts';

/** Whether anything is written for the element: a list entry, or for 理念 the company's text. */
export function elementHasEntry(doc: Y.Doc, element: ElementId): boolean {
  try {
    if (sheetDoing(doc, element).length > 0 || sheetNotYet(doc, element).length > 0) return true;
    return element === 'philosophy' && sheetPhilosophy(doc).toString().trim() !== '';
  } catch {
    // A root of another type than ours (a hostile client): nothing readable is written there.
    return false;
  }
}

/** The elements (of `scope`; all ten when empty) with at least one entry, and how many there are. */
export function worksheetProgress(doc: Y.Doc, scope: readonly ElementId[] = []): { filled: number; total: number } {
  const elements = scope.length > 0 ? scope : ELEMENT_IDS;
  return { filled: elements.filter((element) => elementHasEntry(doc, element)).length, total: elements.length };
}
