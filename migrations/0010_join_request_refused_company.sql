-- A refused join request may name no company: a company only refused requests named (a new name
-- typed by someone who then waited) is deleted with the refusal instead of lingering in no session.
ALTER TABLE "join_requests" ALTER COLUMN "company_id" DROP NOT NULL;--> statement-breakpoint
-- The ones left behind before: refused requests let go of companies nothing else holds, which go.
UPDATE "join_requests" SET "company_id" = NULL WHERE "status" = 'rejected' AND "company_id" IN (
  SELECT "c"."id" FROM "companies" "c"
  WHERE NOT EXISTS (SELECT 1 FROM "event_companies" "ec" WHERE "ec"."company_id" = "c"."id")
    AND NOT EXISTS (SELECT 1 FROM "assessments" "a" WHERE "a"."company_id" = "c"."id")
    AND NOT EXISTS (SELECT 1 FROM "join_requests" "r" WHERE "r"."company_id" = "c"."id" AND "r"."status" <> 'rejected')
);--> statement-breakpoint
DELETE FROM "companies" "c"
WHERE NOT EXISTS (SELECT 1 FROM "event_companies" "ec" WHERE "ec"."company_id" = "c"."id")
  AND NOT EXISTS (SELECT 1 FROM "assessments" "a" WHERE "a"."company_id" = "c"."id")
  AND NOT EXISTS (SELECT 1 FROM "join_requests" "r" WHERE "r"."company_id" = "c"."id");
