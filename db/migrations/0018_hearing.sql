CREATE TYPE "public"."hearing_check_method" AS ENUM('document', 'confirmed');--> statement-breakpoint
CREATE TYPE "public"."hearing_phase" AS ENUM('pending', 'presentation', 'questions', 'ended');--> statement-breakpoint
CREATE TABLE "hearing_questions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"author_id" uuid NOT NULL,
	"body" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hearing_representatives" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"name" text NOT NULL,
	"position" text DEFAULT '' NOT NULL,
	"added_by" uuid,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	"check_method" "hearing_check_method",
	"id_type" text,
	"id_last4" text,
	"checked_in_by" uuid,
	"checked_in_at" timestamp with time zone,
	CONSTRAINT "hearing_representatives_checked" CHECK (("hearing_representatives"."checked_in_at" IS NULL) = ("hearing_representatives"."checked_in_by" IS NULL) AND ("hearing_representatives"."checked_in_at" IS NULL) = ("hearing_representatives"."check_method" IS NULL)),
	CONSTRAINT "hearing_representatives_document" CHECK ("hearing_representatives"."check_method" IS DISTINCT FROM 'document' OR ("hearing_representatives"."id_type" IS NOT NULL AND "hearing_representatives"."id_last4" ~ '^[0-9A-Za-z]{4}$'))
);
--> statement-breakpoint
CREATE TABLE "hearings" (
	"item_id" uuid PRIMARY KEY NOT NULL,
	"meeting_id" uuid NOT NULL,
	"scheduled_at" timestamp with time zone NOT NULL,
	"presentation_minutes" integer DEFAULT 12 NOT NULL,
	"question_minutes" integer DEFAULT 13 NOT NULL,
	"max_representatives" integer DEFAULT 3 NOT NULL,
	"anonymous_questions" boolean DEFAULT true NOT NULL,
	"show_members" boolean DEFAULT false NOT NULL,
	"phase" "hearing_phase" DEFAULT 'pending' NOT NULL,
	"presentation_started_at" timestamp with time zone,
	"questions_started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"invited_by" uuid,
	"invited_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "hearings_minutes" CHECK ("hearings"."presentation_minutes" BETWEEN 1 AND 60 AND "hearings"."question_minutes" BETWEEN 1 AND 60),
	CONSTRAINT "hearings_representatives" CHECK ("hearings"."max_representatives" BETWEEN 1 AND 10)
);
--> statement-breakpoint
ALTER TABLE "hearing_questions" ADD CONSTRAINT "hearing_questions_item_id_hearings_item_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."hearings"("item_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hearing_questions" ADD CONSTRAINT "hearing_questions_author_id_users_id_fk" FOREIGN KEY ("author_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hearing_representatives" ADD CONSTRAINT "hearing_representatives_item_id_hearings_item_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."hearings"("item_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hearing_representatives" ADD CONSTRAINT "hearing_representatives_added_by_users_id_fk" FOREIGN KEY ("added_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hearing_representatives" ADD CONSTRAINT "hearing_representatives_checked_in_by_users_id_fk" FOREIGN KEY ("checked_in_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hearings" ADD CONSTRAINT "hearings_item_id_meeting_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."meeting_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hearings" ADD CONSTRAINT "hearings_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hearings" ADD CONSTRAINT "hearings_invited_by_users_id_fk" FOREIGN KEY ("invited_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "hearing_questions_item_idx" ON "hearing_questions" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "hearing_representatives_item_idx" ON "hearing_representatives" USING btree ("item_id");--> statement-breakpoint
CREATE INDEX "hearings_meeting_idx" ON "hearings" USING btree ("meeting_id");