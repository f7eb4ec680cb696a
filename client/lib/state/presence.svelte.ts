// Who is in the room and which element each person has open, from the room document's awareness.
import type { Awareness } from 'y-protocols/awareness';
import type { ElementId } from '../../../shared/jcrm/elements.ts';

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
      const user = (state as { user?: PresenceUser }).user;
      // One entry per person even with several tabs open.
      if (user?.id && typeof user.name === 'string') seen.set(user.id, user);
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
