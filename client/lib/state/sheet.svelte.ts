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
import type { DeletionRunner } from './cards.svelte.ts';
import { randomId } from '../random-id.ts';

export interface ListItem {
  id: string;
  text: Y.Text;
  frequency: Y.Text | undefined;
}

export type ListKind = 'doing' | 'notYet';

export class SheetModel {
  readonly shared: SharedDoc;
  /** Set by the board; without it a deletion simply happens. */
  onDelete: DeletionRunner | null = null;
  private readonly changes: DocVersion;

  /** `readOnly`: the viewer may not write this worksheet (openSharedDoc); its edits do nothing. */
  constructor(
    readonly eventCompanyId: string,
    userId: string,
    { readOnly = false }: { readOnly?: boolean } = {},
  ) {
    this.shared = openSharedDoc(sheetDocName(eventCompanyId), userId, { readOnly });
    this.changes = new DocVersion(this.shared.doc);
  }

  get readOnly(): boolean {
    return this.shared.readOnly;
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

  /**
   * The list's items. The document is written by clients, so an entry that is not an item of the
   * expected shape is left out (counted by unreadableCount) instead of breaking the column.
   */
  items(kind: ListKind, element: ElementId): ListItem[] {
    void this.changes.version;
    const items: ListItem[] = [];
    const seen = new Set<string>();
    for (const item of this.list(kind, element).toArray() as unknown[]) {
      if (!(item instanceof Y.Map)) continue;
      const id = item.get('id');
      const text = item.get('text');
      const frequency = item.get('frequency');
      // Ids key the rendered list: a duplicate would break it, so only the first one shows.
      if (typeof id !== 'string' || seen.has(id) || !(text instanceof Y.Text)) continue;
      seen.add(id);
      items.push({ id, text, frequency: frequency instanceof Y.Text ? frequency : undefined });
    }
    return items;
  }

  /** Entries of the list that are not readable items. */
  unreadableCount(kind: ListKind, element: ElementId): number {
    void this.changes.version;
    return this.list(kind, element).length - this.items(kind, element).length;
  }

  /**
   * Adds an empty (or given) line at the end, or right after the line `afterId` (Enter in the
   * middle of a list); returns its id (null: read-only, nothing added).
   */
  addItem(kind: ListKind, element: ElementId, text = '', afterId?: string): string | null {
    if (this.readOnly) return null;
    const id = randomId();
    const item = newListItem(id, text, kind === 'doing' ? '' : undefined);
    const list = this.list(kind, element);
    const after = afterId === undefined ? -1 : this.indexOf(list, afterId);
    if (after < 0) list.push([item]);
    else list.insert(after + 1, [item]);
    return id;
  }

  private indexOf(list: Y.Array<Y.Map<unknown>>, id: string): number {
    return (list.toArray() as unknown[]).findIndex((item) => item instanceof Y.Map && item.get('id') === id);
  }

  removeItem(kind: ListKind, element: ElementId, id: string): void {
    if (this.readOnly) return;
    const list = this.list(kind, element);
    const index = this.indexOf(list, id);
    if (index < 0) return;
    const remove = () => list.delete(index, 1);
    if (this.onDelete) this.onDelete(this.doc, 'line', remove);
    else remove();
  }

  actual(element: ElementId, targetIndex: number): number | null {
    void this.changes.version;
    const value: unknown = sheetActuals(this.doc).get(actualKey(element, targetIndex));
    return typeof value === 'number' && Number.isFinite(value) ? value : null;
  }

  setActual(element: ElementId, targetIndex: number, value: number | null): void {
    if (this.readOnly) return;
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
