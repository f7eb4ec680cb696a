// Where each element sits on the concept diagram (SVG user units): 理念 in the centre, the four
// inner elements on the diagonals around it (together the inner frame, 内枠), the five outer
// elements on a wider ring (the outer frame, 外枠).
import { ELEMENTS, type ElementId } from './elements.ts';

export const DIAGRAM = { width: 840, height: 680, cx: 420, cy: 340 } as const;

export interface NodeBox {
  id: ElementId;
  x: number;
  y: number;
  width: number;
  height: number;
}

const SIZE = { centre: [156, 100], inner: [150, 94], outer: [192, 128] } as const;
/** Ring radii (x, y): the outer ring is wide enough that no box overlaps another. */
export const RINGS = { inner: [150, 146], outer: [300, 274] } as const;

/**
 * Where the frames are named (text anchored at its middle, first line's baseline): just below the
 * bottom of each ring, where no box or spoke runs. The inner ring is the inner frame (内枠: 理念 and
 * the four around it), the outer ring the outer frame (外枠).
 */
export const FRAME_LABELS = {
  inner: { x: DIAGRAM.cx, y: DIAGRAM.cy + RINGS.inner[1] + 20 },
  outer: { x: DIAGRAM.cx, y: DIAGRAM.cy + RINGS.outer[1] + 24 },
} as const;

export function diagramLayout(): NodeBox[] {
  const inner = ELEMENTS.filter((e) => e.ring === 'inner');
  const outer = ELEMENTS.filter((e) => e.ring === 'outer');
  const boxes: NodeBox[] = [];
  const place = (id: ElementId, cx: number, cy: number, [width, height]: readonly [number, number]) =>
    boxes.push({ id, x: cx - width / 2, y: cy - height / 2, width, height });

  place('philosophy', DIAGRAM.cx, DIAGRAM.cy, SIZE.centre);
  inner.forEach((e, i) => {
    const angle = ((-135 + 90 * i) * Math.PI) / 180;
    place(e.id, DIAGRAM.cx + RINGS.inner[0] * Math.cos(angle), DIAGRAM.cy + RINGS.inner[1] * Math.sin(angle), SIZE.inner);
  });
  outer.forEach((e, i) => {
    const angle = ((-90 + 72 * i) * Math.PI) / 180;
    place(e.id, DIAGRAM.cx + RINGS.outer[0] * Math.cos(angle), DIAGRAM.cy + RINGS.outer[1] * Math.sin(angle), SIZE.outer);
  });
  return boxes;
}
