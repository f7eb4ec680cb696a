// Documents the facilitator console watches without writing: each room's document (its awareness
// says who is in the room) and each seated company's worksheet (how far it has got).
import type { ElementId } from '../../../shared/jcrm/elements.ts';
import { roomDocName, sheetDocName } from '../../../shared/protocol/doc-names.ts';
import { worksheetProgress } from '../../../shared/protocol/sheet-progress.ts';
import { openSharedDoc, type SharedDoc } from '../api/shared-doc.ts';
import { DocVersion } from './doc-version.svelte.ts';
import { PresenceModel } from './presence.svelte.ts';

export class RoomWatch {
  readonly shared: SharedDoc;
  readonly presence: PresenceModel;

  constructor(
    readonly roomId: string,
    userId: string,
  ) {
    this.shared = openSharedDoc(roomDocName(roomId), userId, { watchOnly: true });
    this.presence = new PresenceModel(this.shared.provider.awareness);
  }

  destroy(): void {
    this.presence.destroy();
    this.shared.destroy();
  }
}

export class SheetWatch {
  readonly shared: SharedDoc;
  private readonly changes: DocVersion;
  /** Whether the first sync arrived (before it, the progress would read 0 for a full sheet). */
  synced = $state(false);

  constructor(
    readonly eventCompanyId: string,
    userId: string,
  ) {
    this.shared = openSharedDoc(sheetDocName(eventCompanyId), userId, { watchOnly: true });
    this.changes = new DocVersion(this.shared.doc);
    this.shared.provider.on('sync', (isSynced: boolean) => {
      if (isSynced) this.synced = true;
    });
  }

  /** Elements of `scope` (all when empty) written in this session (worksheetProgress); null until first synced. */
  progress(scope: readonly ElementId[]): { filled: number; total: number } | null {
    void this.changes.version;
    return this.synced ? worksheetProgress(this.shared.doc, scope) : null;
  }

  destroy(): void {
    this.changes.destroy();
    this.shared.destroy();
  }
}
