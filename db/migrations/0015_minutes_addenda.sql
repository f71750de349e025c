CREATE TABLE "meeting_minutes_addenda" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"meeting_id" uuid NOT NULL,
	"decision_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"blocks" jsonb NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone,
	"document_id" uuid,
	CONSTRAINT "meeting_minutes_addenda_once" UNIQUE("decision_id","kind")
);
--> statement-breakpoint
ALTER TABLE "meeting_minutes_addenda" ADD CONSTRAINT "meeting_minutes_addenda_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_minutes_addenda" ADD CONSTRAINT "meeting_minutes_addenda_decision_id_meeting_decisions_id_fk" FOREIGN KEY ("decision_id") REFERENCES "public"."meeting_decisions"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_minutes_addenda" ADD CONSTRAINT "meeting_minutes_addenda_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "meeting_minutes_addenda_pending" ON "meeting_minutes_addenda" USING btree ("meeting_id","applied_at");