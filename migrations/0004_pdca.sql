CREATE TABLE "series" (
	"id" uuid PRIMARY KEY NOT NULL,
	"title" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "take_home_actions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"event_company_id" uuid NOT NULL,
	"element" text NOT NULL,
	"text" text NOT NULL,
	"owner_user_id" uuid,
	"due_date" text,
	"status" text DEFAULT 'open' NOT NULL,
	"source_card_id" text,
	"carried_from_action_id" uuid,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "event_companies" ADD COLUMN "carried_from" uuid;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "series_id" uuid;--> statement-breakpoint
ALTER TABLE "events" ADD COLUMN "element_scoring" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "series" ADD CONSTRAINT "series_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "take_home_actions" ADD CONSTRAINT "take_home_actions_event_company_id_event_companies_id_fk" FOREIGN KEY ("event_company_id") REFERENCES "public"."event_companies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "take_home_actions" ADD CONSTRAINT "take_home_actions_owner_user_id_users_id_fk" FOREIGN KEY ("owner_user_id") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "take_home_actions" ADD CONSTRAINT "take_home_actions_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "take_home_actions" ADD CONSTRAINT "take_home_actions_carried_from_action_id_take_home_actions_id_fk" FOREIGN KEY ("carried_from_action_id") REFERENCES "public"."take_home_actions"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "take_home_actions_company_idx" ON "take_home_actions" USING btree ("event_company_id");--> statement-breakpoint
ALTER TABLE "event_companies" ADD CONSTRAINT "event_companies_carried_from_event_companies_id_fk" FOREIGN KEY ("carried_from") REFERENCES "public"."event_companies"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "events" ADD CONSTRAINT "events_series_id_series_id_fk" FOREIGN KEY ("series_id") REFERENCES "public"."series"("id") ON DELETE set null ON UPDATE no action;