// Makes a Y.Doc reactive for Svelte: a counter bumped on every update. Derived values read
// `version` and then read the document, so they recompute exactly when the document changes.
import type * as Y from 'yjs';

export class DocVersion {
  version = $state(0);
  private readonly bump = () => {
    this.version++;
  };

  constructor(private readonly doc: Y.Doc) {
    doc.on('update', this.bump);
  }

  destroy(): void {
    this.doc.off('update', this.bump);
  }
}
