// Who is in the room and which element each person has open, from the room document's awareness.
import type { Awareness } from 'y-protocols/awareness';
import { isElementId, type ElementId } from '../../../shared/jcrm/elements.ts';
import { isPresenceColor } from '../../../shared/protocol/presence.ts';

export interface PresenceUser {
  id: string;
  name: string;
  eventCompanyId: string | null;
  color: string;
  element: ElementId | null;
}

export class PresenceModel {
  people = $state<PresenceUser[]>([]);
  private readonly refresh = () => {
    const seen = new Map<string, PresenceUser>();
    for (const state of this.awareness.getStates().values()) {
      const user = readPresenceUser((state as { user?: unknown } | null)?.user);
      // One entry per person even with several tabs open.
      if (user) seen.set(user.id, user);
    }
    this.people = [...seen.values()].sort((a, b) => a.name.localeCompare(b.name, 'ja'));
  };

  constructor(private readonly awareness: Awareness) {
    awareness.on('change', this.refresh);
    this.refresh();
  }

  announce(user: PresenceUser): void {
    this.awareness.setLocalStateField('user', user);
  }

  destroy(): void {
    this.awareness.off('change', this.refresh);
  }
}

/** Shown for a colour that is not one (isPresenceColor). */
const UNKNOWN_COLOR = '#666666';

/**
 * Another browser's presence, read defensively: any member of the event may announce any shape.
 * `color` goes into a style attribute (a value like `red; position: fixed; inset: 0` covered
 * everyone's board) and `element` is looked up by id (an unknown one threw while rendering the
 * presence bar, breaking the board of everyone in the room): both are taken only when valid.
 */
export function readPresenceUser(value: unknown): PresenceUser | null {
  if (value === null || typeof value !== 'object') return null;
  const { id, name, eventCompanyId, color, element } = value as Record<string, unknown>;
  if (typeof id !== 'string' || id === '' || typeof name !== 'string') return null;
  return {
    id,
    name,
    eventCompanyId: typeof eventCompanyId === 'string' ? eventCompanyId : null,
    color: isPresenceColor(color) ? color : UNKNOWN_COLOR,
    element: isElementId(element) ? element : null,
  };
}
