ALTER TABLE "join_requests" ADD COLUMN "company_id" uuid;--> statement-breakpoint
-- A join request names the company asked for, not a row of event_companies: a waiting or refused
-- claim no longer adds the company to the session (approval does).
UPDATE "join_requests" SET "company_id" = "event_companies"."company_id" FROM "event_companies" WHERE "event_companies"."id" = "join_requests"."event_company_id";--> statement-breakpoint
ALTER TABLE "join_requests" ADD CONSTRAINT "join_requests_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "join_requests" DROP CONSTRAINT "join_requests_event_company_id_event_companies_id_fk";
--> statement-breakpoint
ALTER TABLE "join_requests" ALTER COLUMN "company_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "join_requests" DROP COLUMN "event_company_id";