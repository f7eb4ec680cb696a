-- Company names are stored in one form since this version (shared/text/company-name.ts,
-- companyNameForm: NFKC, runs of white space as one space, trimmed), so that 「ＡＢＣ商事 」 and
-- 「ABC商事」 are one company. Names stored before are brought into that form, except where two
-- companies would then have one name (case-insensitive) or the form is longer than a name may be
-- (100): those stay as they are, and are still found as typed.
WITH formed AS (
  SELECT id, name, btrim(regexp_replace(normalize(name, NFKC), '\s+', ' ', 'g')) AS form FROM companies
)
UPDATE companies SET name = formed.form
FROM formed
WHERE companies.id = formed.id
  AND formed.form <> formed.name
  AND formed.form <> ''
  AND char_length(formed.form) <= 100
  AND (SELECT count(*) FROM formed other WHERE lower(other.form) = lower(formed.form)) = 1;
