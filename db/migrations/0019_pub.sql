CREATE TYPE "public"."calendar_day_kind" AS ENUM('holiday', 'workday');--> statement-breakpoint
CREATE TYPE "public"."objection_status" AS ENUM('received', 'acknowledged', 'upheld', 'dismissed');--> statement-breakpoint
CREATE TYPE "public"."objector_kind" AS ENUM('person', 'organization');--> statement-breakpoint
CREATE TYPE "public"."publication_kind" AS ENUM('funding', 'accreditation');--> statement-breakpoint
CREATE TYPE "public"."publication_period_unit" AS ENUM('workingDays', 'days');--> statement-breakpoint
CREATE TYPE "public"."publication_status" AS ENUM('open', 'final');--> statement-breakpoint
CREATE TABLE "calendar_days" (
	"day" date PRIMARY KEY NOT NULL,
	"kind" "calendar_day_kind" NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"updated_by" uuid,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "publication_form_nonces" (
	"nonce" text PRIMARY KEY NOT NULL,
	"used_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "publication_objection_files" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"objection_id" uuid NOT NULL,
	"note_id" uuid,
	"file_name" text NOT NULL,
	"content_type" text NOT NULL,
	"size" integer NOT NULL,
	"sha256" text NOT NULL,
	"data" "bytea" NOT NULL,
	"uploaded_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "publication_objection_notes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"objection_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "publication_objections" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"publication_id" uuid NOT NULL,
	"row_id" uuid NOT NULL,
	"receipt_hash" text NOT NULL,
	"kind" "objector_kind" NOT NULL,
	"name" text NOT NULL,
	"organization" text DEFAULT '' NOT NULL,
	"title" text DEFAULT '' NOT NULL,
	"contact_name" text DEFAULT '' NOT NULL,
	"phone" text NOT NULL,
	"address" text NOT NULL,
	"grounds" text NOT NULL,
	"user_id" uuid,
	"ip" text,
	"status" "objection_status" DEFAULT 'received' NOT NULL,
	"acknowledged_by" uuid,
	"acknowledged_at" timestamp with time zone,
	"reason" text,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"reopened_decision_id" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "publication_objections_receipt_hash_unique" UNIQUE("receipt_hash"),
	CONSTRAINT "publication_objections_decided" CHECK (("publication_objections"."status" IN ('upheld', 'dismissed')) = ("publication_objections"."decided_at" IS NOT NULL AND "publication_objections"."reason" IS NOT NULL))
);
--> statement-breakpoint
CREATE TABLE "publication_rows" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"publication_id" uuid NOT NULL,
	"position" integer NOT NULL,
	"application_id" uuid,
	"decision_id" uuid,
	"label" text NOT NULL,
	"title" text NOT NULL,
	"organization" text NOT NULL,
	"amount" numeric(12, 2),
	"funding_mode" "funding_mode",
	"outcome" text NOT NULL,
	CONSTRAINT "publication_rows_position" UNIQUE("publication_id","position")
);
--> statement-breakpoint
CREATE TABLE "publications" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"call_id" uuid NOT NULL,
	"kind" "publication_kind" DEFAULT 'funding' NOT NULL,
	"title" text NOT NULL,
	"notice" text DEFAULT '' NOT NULL,
	"period_length" integer NOT NULL,
	"period_unit" "publication_period_unit" NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"status" "publication_status" DEFAULT 'open' NOT NULL,
	"published_by" uuid NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finalized_by" uuid,
	"finalized_at" timestamp with time zone,
	"final_list" jsonb,
	"sha256" text,
	"audit_anchor" text,
	CONSTRAINT "publications_period" CHECK ("publications"."ends_at" > "publications"."starts_at" AND "publications"."period_length" > 0),
	CONSTRAINT "publications_final" CHECK (("publications"."status" = 'final') = ("publications"."sha256" IS NOT NULL AND "publications"."finalized_at" IS NOT NULL))
);
--> statement-breakpoint
ALTER TABLE "calendar_days" ADD CONSTRAINT "calendar_days_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_objection_files" ADD CONSTRAINT "publication_objection_files_objection_id_publication_objections_id_fk" FOREIGN KEY ("objection_id") REFERENCES "public"."publication_objections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_objection_files" ADD CONSTRAINT "publication_objection_files_note_id_publication_objection_notes_id_fk" FOREIGN KEY ("note_id") REFERENCES "public"."publication_objection_notes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_objection_files" ADD CONSTRAINT "publication_objection_files_uploaded_by_users_id_fk" FOREIGN KEY ("uploaded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_objection_notes" ADD CONSTRAINT "publication_objection_notes_objection_id_publication_objections_id_fk" FOREIGN KEY ("objection_id") REFERENCES "public"."publication_objections"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_objection_notes" ADD CONSTRAINT "publication_objection_notes_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_objections" ADD CONSTRAINT "publication_objections_publication_id_publications_id_fk" FOREIGN KEY ("publication_id") REFERENCES "public"."publications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_objections" ADD CONSTRAINT "publication_objections_row_id_publication_rows_id_fk" FOREIGN KEY ("row_id") REFERENCES "public"."publication_rows"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_objections" ADD CONSTRAINT "publication_objections_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_objections" ADD CONSTRAINT "publication_objections_acknowledged_by_users_id_fk" FOREIGN KEY ("acknowledged_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_objections" ADD CONSTRAINT "publication_objections_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_rows" ADD CONSTRAINT "publication_rows_publication_id_publications_id_fk" FOREIGN KEY ("publication_id") REFERENCES "public"."publications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publication_rows" ADD CONSTRAINT "publication_rows_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_call_id_calls_id_fk" FOREIGN KEY ("call_id") REFERENCES "public"."calls"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_published_by_users_id_fk" FOREIGN KEY ("published_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "publications" ADD CONSTRAINT "publications_finalized_by_users_id_fk" FOREIGN KEY ("finalized_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "publication_objection_files_objection_idx" ON "publication_objection_files" USING btree ("objection_id");--> statement-breakpoint
CREATE INDEX "publication_objections_publication_idx" ON "publication_objections" USING btree ("publication_id","status");--> statement-breakpoint
CREATE INDEX "publication_rows_application_idx" ON "publication_rows" USING btree ("application_id");--> statement-breakpoint
CREATE INDEX "publications_call_idx" ON "publications" USING btree ("call_id");