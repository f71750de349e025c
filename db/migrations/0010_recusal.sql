CREATE TYPE "public"."institution_change_status" AS ENUM('pending', 'approved', 'rejected', 'cancelled');--> statement-breakpoint
CREATE TABLE "expert_institution_changes" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"expert_id" uuid NOT NULL,
	"old_institution" text NOT NULL,
	"new_institution" text NOT NULL,
	"status" "institution_change_status" DEFAULT 'pending' NOT NULL,
	"requested_by" uuid,
	"requested_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_by" uuid,
	"decided_at" timestamp with time zone,
	"decision_note" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_recusals" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"source" text NOT NULL,
	"reason" text NOT NULL,
	"established_at" timestamp with time zone DEFAULT now() NOT NULL,
	"lifted_at" timestamp with time zone,
	"lifted_by" uuid,
	"lift_reason" text,
	CONSTRAINT "meeting_recusals_lift" CHECK (("meeting_recusals"."lifted_at" IS NULL) = ("meeting_recusals"."lift_reason" IS NULL))
);
--> statement-breakpoint
ALTER TABLE "conflicts" ADD COLUMN "withdrawn_by" uuid;--> statement-breakpoint
ALTER TABLE "conflicts" ADD COLUMN "withdraw_reason" text;--> statement-breakpoint
ALTER TABLE "expert_institution_changes" ADD CONSTRAINT "expert_institution_changes_expert_id_experts_id_fk" FOREIGN KEY ("expert_id") REFERENCES "public"."experts"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_institution_changes" ADD CONSTRAINT "expert_institution_changes_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "expert_institution_changes" ADD CONSTRAINT "expert_institution_changes_decided_by_users_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_recusals" ADD CONSTRAINT "meeting_recusals_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_recusals" ADD CONSTRAINT "meeting_recusals_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_recusals" ADD CONSTRAINT "meeting_recusals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_recusals" ADD CONSTRAINT "meeting_recusals_lifted_by_users_id_fk" FOREIGN KEY ("lifted_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "expert_institution_changes_expert_idx" ON "expert_institution_changes" USING btree ("expert_id");--> statement-breakpoint
CREATE UNIQUE INDEX "expert_institution_changes_one_pending" ON "expert_institution_changes" USING btree ("expert_id") WHERE "expert_institution_changes"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "meeting_recusals_meeting_idx" ON "meeting_recusals" USING btree ("meeting_id","user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_recusals_in_force" ON "meeting_recusals" USING btree ("meeting_id","application_id","user_id") WHERE "meeting_recusals"."lifted_at" IS NULL;--> statement-breakpoint
ALTER TABLE "conflicts" ADD CONSTRAINT "conflicts_withdrawn_by_users_id_fk" FOREIGN KEY ("withdrawn_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;