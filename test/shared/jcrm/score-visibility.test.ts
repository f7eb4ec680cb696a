import { describe, expect, it } from 'vitest';
import { maySeeScoreValues, type ScoreViewer } from '../../../shared/jcrm/score-visibility.ts';

const owner = 'company-a';
const participant = (eventCompanyId: string, roomId: string | null): ScoreViewer => ({ role: 'participant', eventCompanyId, roomId });
const facilitator: ScoreViewer = { role: 'facilitator', eventCompanyId: null, roomId: null };
const observer: ScoreViewer = { role: 'observer', eventCompanyId: null, roomId: null };

describe('maySeeScoreValues', () => {
  it('shows everyone the scores of an event that does not hide them', () => {
    const shown = { hidden: false, ownerRoomId: 'room-1', ownerRoomRevealed: false };
    for (const viewer of [facilitator, observer, participant('company-b', 'room-2'), participant('company-c', null)]) {
      expect(maySeeScoreValues(shown, viewer, owner)).toBe(true);
    }
  });

  it('keeps hidden scores to the facilitators and the owning company until the room is revealed', () => {
    const hidden = { hidden: true, ownerRoomId: 'room-1', ownerRoomRevealed: false };
    expect(maySeeScoreValues(hidden, facilitator, owner)).toBe(true);
    expect(maySeeScoreValues(hidden, participant(owner, 'room-1'), owner)).toBe(true);
    expect(maySeeScoreValues(hidden, participant('company-b', 'room-1'), owner)).toBe(false);
    expect(maySeeScoreValues(hidden, observer, owner)).toBe(false);
  });

  it('once revealed, shows them to the owner’s room only', () => {
    const revealed = { hidden: true, ownerRoomId: 'room-1', ownerRoomRevealed: true };
    expect(maySeeScoreValues(revealed, participant('company-b', 'room-1'), owner)).toBe(true);
    expect(maySeeScoreValues(revealed, participant('company-c', 'room-2'), owner)).toBe(false);
    expect(maySeeScoreValues(revealed, participant('company-d', null), owner)).toBe(false);
    expect(maySeeScoreValues(revealed, observer, owner)).toBe(false);
  });

  it('a company seated in no room shares no room with anyone', () => {
    const unseated = { hidden: true, ownerRoomId: null, ownerRoomRevealed: true };
    expect(maySeeScoreValues(unseated, participant('company-b', null), owner)).toBe(false);
  });
});
