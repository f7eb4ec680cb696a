// A company's scores in the session of its series just before this one, shown beside the score
// picker in the next session (PDCA: check last time's score while scoring again). Asked once per
// company and session: the earlier session is usually closed by then (a change made there while
// both are open shows after a reload).
import { pdcaApi } from '../api/pdca.ts';
import { previousScores, type PreviousScores } from '../../../shared/pdca/trend.ts';

const cache = new Map<string, Promise<PreviousScores | null>>();

export function previousScoresOf(companyId: string, seriesId: string, eventId: string): Promise<PreviousScores | null> {
  const key = `${companyId}|${seriesId}|${eventId}`;
  let answer = cache.get(key);
  if (!answer) {
    answer = pdcaApi.trend(companyId, seriesId).then(
      (trend) => previousScores(trend, eventId),
      () => {
        cache.delete(key); // not kept: asked again next time (offline, a restart)
        return null;
      },
    );
    cache.set(key, answer);
  }
  return answer;
}
