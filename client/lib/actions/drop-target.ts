// Makes an element a place to drop a company dragged on the console (a room, or "unseated").
// While a company is dragged over it, the element has a data-drop-over attribute (for its style).
import type { CompanyMove, MoveTarget } from '../state/company-move.svelte.ts';

export interface DropTargetParams {
  move: CompanyMove;
  target: MoveTarget;
}

export function dropTarget(node: HTMLElement, params: DropTargetParams) {
  let current = params;
  const highlight = (on: boolean) => node.toggleAttribute('data-drop-over', on);
  const dragover = (event: DragEvent) => {
    if (!current.move.dragging) return;
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = 'move';
    highlight(true);
  };
  const dragleave = (event: DragEvent) => {
    // Moving onto a child of the element is not leaving it.
    if (!node.contains(event.relatedTarget as Node | null)) highlight(false);
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    highlight(false);
    // Only our own chips: text dragged in from elsewhere is not a company.
    const id = current.move.dragging;
    if (id) void current.move.dropDragged(id, current.target);
  };
  node.addEventListener('dragover', dragover);
  node.addEventListener('dragleave', dragleave);
  node.addEventListener('drop', drop);
  return {
    update(next: DropTargetParams) {
      current = next;
    },
    destroy() {
      node.removeEventListener('dragover', dragover);
      node.removeEventListener('dragleave', dragleave);
      node.removeEventListener('drop', drop);
    },
  };
}
