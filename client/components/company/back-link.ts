// Where 自社のページ's "back to the board" link goes: the session the user came from (its id in
// ?event=, as the board's menu can pass it) when the company took part in it, else the company's
// latest session still open, else its latest one; null when it has none.
export interface SessionLike {
  eventId: string;
  title: string;
  date: string;
  status: string;
}

export function boardToReturnTo<T extends SessionLike>(sessions: readonly T[], fromEventId: string | null): T | null {
  if (fromEventId) {
    const from = sessions.find((s) => s.eventId === fromEventId);
    if (from) return from;
  }
  // Newest first by date; for the same date the later in the list (the server lists them oldest first).
  const newestFirst = sessions.map((s, i) => ({ s, i })).sort((a, b) => b.s.date.localeCompare(a.s.date) || b.i - a.i).map(({ s }) => s);
  return newestFirst.find((s) => s.status !== 'closed') ?? newestFirst[0] ?? null;
}
