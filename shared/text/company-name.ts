// Company names as people type them: "ＡＢＣ商事", "ABC商事 " and "abc  商事" are one company.
// Used to point a person creating a company at the one already taking part under that name.

/** The form all spellings of one name share: NFKC (full-width → half-width), trimmed, runs of spaces as one, lower case. */
export function companyNameKey(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The company whose name is `typed` but for width, case and spaces; null when none is (or nothing is typed). */
export function sameNamedCompany<T extends { name: string }>(typed: string, companies: readonly T[]): T | null {
  const key = companyNameKey(typed);
  if (key === '') return null;
  return companies.find((c) => companyNameKey(c.name) === key) ?? null;
}
