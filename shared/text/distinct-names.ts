// People who joined under the same name (「この名前のまま参加する」) are told apart in lists by a
// number in join order: 「佐藤」, 「佐藤（2）」. Names equal but for width, case or spaces count as
// the same, as the join page's same-name check does.
import { personNameKey } from './company-name.ts';

/** Each person's label, by id, for people listed in join order. */
export function distinctNames(people: ReadonlyArray<{ userId: string; displayName: string }>): Map<string, string> {
  const seen = new Map<string, number>();
  const labels = new Map<string, string>();
  for (const person of people) {
    const key = personNameKey(person.displayName);
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    labels.set(person.userId, n === 1 ? person.displayName : `${person.displayName}（${n}）`);
  }
  return labels;
}
