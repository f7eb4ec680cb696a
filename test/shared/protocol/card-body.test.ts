import { describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { cardBody, MAX_CARD_TEXT_LENGTH, newCard, readCard } from '../../../shared/protocol/doc-shapes.ts';

describe('cardBody', () => {
  it('trims, and keeps text within the limit as it is', () => {
    expect(cardBody('  気付き 🎉 \n')).toBe('気付き 🎉');
    const full = 'あ'.repeat(MAX_CARD_TEXT_LENGTH);
    expect(cardBody(full)).toBe(full);
  });

  it('cuts at the limit, never between the halves of an emoji, and the result is a valid card', () => {
    const text = 'a'.repeat(MAX_CARD_TEXT_LENGTH - 1) + '😀😀';
    const body = cardBody(text);
    expect(body).toBe('a'.repeat(MAX_CARD_TEXT_LENGTH - 1));
    expect(body).not.toMatch(/[\uD800-\uDFFF]/);
    expect(cardBody('b'.repeat(MAX_CARD_TEXT_LENGTH + 10))).toHaveLength(MAX_CARD_TEXT_LENGTH);

    const doc = new Y.Doc();
    const cards = doc.getMap<Y.Map<unknown>>('cards');
    cards.set('c1', newCard({ element: 'brand', text: body }));
    expect(readCard(cards.get('c1')!)).toMatchObject({ text: body });
  });
});
