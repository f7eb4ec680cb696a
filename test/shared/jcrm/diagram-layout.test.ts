import { describe, expect, it } from 'vitest';
import { DIAGRAM, FRAME_LABELS, diagramLayout } from '../../../shared/jcrm/diagram-layout.ts';
import { ELEMENT_IDS } from '../../../shared/jcrm/elements.ts';

describe('diagramLayout', () => {
  const boxes = diagramLayout();

  it('places every element exactly once, inside the canvas', () => {
    expect(boxes.map((b) => b.id).sort()).toEqual([...ELEMENT_IDS].sort());
    for (const b of boxes) {
      expect(b.x).toBeGreaterThanOrEqual(0);
      expect(b.y).toBeGreaterThanOrEqual(0);
      expect(b.x + b.width).toBeLessThanOrEqual(DIAGRAM.width);
      expect(b.y + b.height).toBeLessThanOrEqual(DIAGRAM.height);
    }
  });

  it('never lets two boxes overlap', () => {
    for (const a of boxes) {
      for (const b of boxes) {
        if (a === b) continue;
        const overlap = a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
        expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
      }
    }
  });

  it('puts 理念 in the centre', () => {
    const centre = boxes.find((b) => b.id === 'philosophy')!;
    expect(centre.x + centre.width / 2).toBe(DIAGRAM.cx);
    expect(centre.y + centre.height / 2).toBe(DIAGRAM.cy);
  });

  it('names the two frames where no box is', () => {
    // two lines of text, at most 150 units wide (「会社として持つべきもの」 at 10.5px is ~116), 32 high
    for (const label of Object.values(FRAME_LABELS)) {
      const area = { x: label.x - 75, y: label.y - 14, width: 150, height: 32 };
      expect(area.y + area.height).toBeLessThanOrEqual(DIAGRAM.height);
      for (const b of boxes) {
        const overlap = area.x < b.x + b.width && b.x < area.x + area.width && area.y < b.y + b.height && b.y < area.y + area.height;
        expect(overlap, `frame label at ${label.y} overlaps ${b.id}`).toBe(false);
      }
    }
  });
});
