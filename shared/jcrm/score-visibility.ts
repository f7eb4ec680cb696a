// Who may see a company's score values while an event's scores are hidden (the facilitator's
// setting for a fair comparison): one rule, read by scores:get, score:history and the report.
// The live pushes (server/control/broadcaster.ts) state it as socket.io channels: facilitators,
// the owning company, and the owner's room once revealed.
import type { ScoreVisibility } from '../protocol/domain-events.ts';

export interface ScoreViewer {
  role: string;
  /** The company the viewer speaks for (null: facilitator, observer). */
  eventCompanyId: string | null;
  /** The room the viewer's company sits in (null: none, or no company). */
  roomId: string | null;
}

/**
 * Shown scores are everyone's; hidden ones are the facilitators' and the owning company's, and
 * its room's once that room is revealed.
 */
export function maySeeScoreValues(visibility: ScoreVisibility, viewer: ScoreViewer, ownerCompanyId: string): boolean {
  if (!visibility.hidden || viewer.role === 'facilitator' || viewer.eventCompanyId === ownerCompanyId) return true;
  return visibility.ownerRoomRevealed && visibility.ownerRoomId !== null && visibility.ownerRoomId === viewer.roomId;
}
