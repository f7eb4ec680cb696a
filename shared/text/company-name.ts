// Company names as people type them: "ＡＢＣ商事", "ABC商事 " and "abc  商事" are one company.
// The server stores names in one form (so a second spelling finds the first company); the join
// page points a person creating a company at the one already taking part under that name.

/** How a company name is stored: NFKC (full-width letters and digits → half-width, half-width kana → full-width), trimmed, runs of spaces as one. */
export function companyNameForm(name: string): string {
  return name.normalize('NFKC').trim().replace(/\s+/g, ' ');
}

/** The form all spellings of one name share: the stored form in lower case. */
export function companyNameKey(name: string): string {
  return companyNameForm(name).toLowerCase();
}

/** The company whose name is `typed` but for width, case and spaces; null when none is (or nothing is typed). */
export function sameNamedCompany<T extends { name: string }>(typed: string, companies: readonly T[]): T | null {
  const key = companyNameKey(typed);
  if (key === '') return null;
  return companies.find((c) => companyNameKey(c.name) === key) ?? null;
}
