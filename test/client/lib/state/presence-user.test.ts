import { describe, expect, it } from 'vitest';
import { readPresenceUser } from '../../../../client/lib/state/presence.svelte.ts';
import { ELEMENT_IDS } from '../../../../shared/jcrm/elements.ts';

const element = ELEMENT_IDS[0];

describe('readPresenceUser', () => {
  it('takes a presence as the board announces it', () => {
    const user = { id: 'u1', name: '佐藤', eventCompanyId: 'c1', color: '#c0392b', element };
    expect(readPresenceUser(user)).toEqual(user);
  });

  it('never lets a colour carry more CSS into the style attribute', () => {
    const user = readPresenceUser({ id: 'u1', name: 'x', eventCompanyId: null, color: 'red; position: fixed; inset: 0; z-index: 9999', element: null });
    expect(user?.color).toBe('#666666');
    expect(readPresenceUser({ id: 'u1', name: 'x', color: 'url(data:image/svg+xml,…)' })?.color).toBe('#666666');
  });

  it('drops an element that is no element (elementById would throw while rendering)', () => {
    expect(readPresenceUser({ id: 'u1', name: 'x', color: '#555', element: 'bogus' })?.element).toBeNull();
    expect(readPresenceUser({ id: 'u1', name: 'x', color: '#555', element: { toString: 1 } })?.element).toBeNull();
  });

  it('shows no one for a state without an id or a name', () => {
    expect(readPresenceUser(undefined)).toBeNull();
    expect(readPresenceUser({ name: 'x' })).toBeNull();
    expect(readPresenceUser({ id: 5, name: 'x' })).toBeNull();
    expect(readPresenceUser({ id: 'u1', name: 7 })).toBeNull();
  });

  it('reads a company that is not a string as none', () => {
    expect(readPresenceUser({ id: 'u1', name: 'x', eventCompanyId: { a: 1 } })?.eventCompanyId).toBeNull();
  });
});
