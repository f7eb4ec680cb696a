// 「次の回を作る」: a series usually meets monthly, so the next session is proposed a month after
// the one it follows (same day, or the month's last day), never in the past.

/** ISO date (YYYY-MM-DD) a month after `previous`, or `today` when that has already passed. */
export function proposedNextDate(previous: string, today: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(previous);
  if (!match) return today;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const nextYear = month === 12 ? year + 1 : year;
  const nextMonth = month === 12 ? 1 : month + 1;
  const lastDay = new Date(Date.UTC(nextYear, nextMonth, 0)).getUTCDate();
  const pad = (n: number) => String(n).padStart(2, '0');
  const next = `${nextYear}-${pad(nextMonth)}-${pad(Math.min(day, lastDay))}`;
  return next < today ? today : next;
}
