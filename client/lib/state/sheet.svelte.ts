// One company's worksheet (sheet:<eventCompanyId>): reactive reads and the edits the panel makes.
import * as Y from 'yjs';
import type { ElementId } from '../../../shared/jcrm/elements.ts';
import {
  actualKey,
  newListItem,
  sheetActuals,
  sheetDoing,
  sheetMemo,
  sheetNotYet,
  sheetPhilosophy,
} from '../../../shared/protocol/doc-shapes.ts';
import { openSharedDoc, type SharedDoc } from '../api/shared-doc.ts';
import { sheetDocName } from '../../../shared/protocol/doc-names.ts';
import { DocVersion } from './doc-version.svelte.ts';

export interface ListItem {
  id: string;
  text: Y.Text;
  frequency: Y.Text | undefined;
}

export type ListKind = 'doing' | 'notYet';

export class SheetModel {
  readonly shared: SharedDoc;
  private readonly changes: DocVersion;

  constructor(
    readonly eventCompanyId: string,
    userId: string,
  ) {
    this.shared = openSharedDoc(sheetDocName(eventCompanyId), userId);
    this.changes = new DocVersion(this.shared.doc);
  }

  get doc(): Y.Doc {
    return this.shared.doc;
  }

  /** Changes with every update of the document (read it to depend on the document). */
  get version(): number {
    return this.changes.version;
  }

  get philosophy(): Y.Text {
    return sheetPhilosophy(this.doc);
  }

  memo(element: ElementId): Y.Text {
    return sheetMemo(this.doc, element);
  }

  items(kind: ListKind, element: ElementId): ListItem[] {
    void this.changes.version;
    return this.list(kind, element)
      .toArray()
      .map((item) => ({
        id: String(item.get('id')),
        text: item.get('text') as Y.Text,
        frequency: item.get('frequency') as Y.Text | undefined,
      }));
  }

  addItem(kind: ListKind, element: ElementId, text = ''): void {
    const item = newListItem(crypto.randomUUID(), text, kind === 'doing' ? '' : undefined);
    this.list(kind, element).push([item]);
  }

  removeItem(kind: ListKind, element: ElementId, id: string): void {
    const list = this.list(kind, element);
    const index = list.toArray().findIndex((item) => item.get('id') === id);
    if (index >= 0) list.delete(index, 1);
  }

  actual(element: ElementId, targetIndex: number): number | null {
    void this.changes.version;
    return sheetActuals(this.doc).get(actualKey(element, targetIndex)) ?? null;
  }

  setActual(element: ElementId, targetIndex: number, value: number | null): void {
    sheetActuals(this.doc).set(actualKey(element, targetIndex), value);
  }

  /** Whether anything is written for the element (for the diagram's at-a-glance view). */
  filledCount(element: ElementId): number {
    void this.changes.version;
    return sheetDoing(this.doc, element).length + sheetNotYet(this.doc, element).length;
  }

  destroy(): void {
    this.changes.destroy();
    this.shared.destroy();
  }

  private list(kind: ListKind, element: ElementId) {
    return kind === 'doing' ? sheetDoing(this.doc, element) : sheetNotYet(this.doc, element);
  }
}
