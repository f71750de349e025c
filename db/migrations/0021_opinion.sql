CREATE TYPE "public"."opinion_signature_kind" AS ENUM('sign', 'dissent');--> statement-breakpoint
CREATE TABLE "panel_opinion_excusals" (
	"opinion_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"reason" text NOT NULL,
	"recorded_by" uuid NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "panel_opinion_excusals_opinion_id_user_id_pk" PRIMARY KEY("opinion_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "panel_opinion_releases" (
	"opinion_id" uuid PRIMARY KEY NOT NULL,
	"options" jsonb NOT NULL,
	"view" jsonb NOT NULL,
	"view_sha256" text NOT NULL,
	"released_by" uuid NOT NULL,
	"released_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "panel_opinion_signatures" (
	"opinion_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" "opinion_signature_kind" NOT NULL,
	"dissent" text DEFAULT '' NOT NULL,
	"sha256" text NOT NULL,
	"signed_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "panel_opinion_signatures_opinion_id_user_id_pk" PRIMARY KEY("opinion_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "panel_opinions" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"item_id" uuid NOT NULL,
	"meeting_id" uuid NOT NULL,
	"application_id" uuid NOT NULL,
	"document_id" uuid NOT NULL,
	"lead_user_id" uuid NOT NULL,
	"lead_chosen_by" uuid NOT NULL,
	"lead_chosen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"submitted_at" timestamp with time zone,
	"submitted_sha256" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "panel_opinions_item_id_unique" UNIQUE("item_id"),
	CONSTRAINT "panel_opinions_document_id_unique" UNIQUE("document_id")
);
--> statement-breakpoint
ALTER TABLE "panel_opinion_excusals" ADD CONSTRAINT "panel_opinion_excusals_opinion_id_panel_opinions_id_fk" FOREIGN KEY ("opinion_id") REFERENCES "public"."panel_opinions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_opinion_excusals" ADD CONSTRAINT "panel_opinion_excusals_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_opinion_excusals" ADD CONSTRAINT "panel_opinion_excusals_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_opinion_releases" ADD CONSTRAINT "panel_opinion_releases_opinion_id_panel_opinions_id_fk" FOREIGN KEY ("opinion_id") REFERENCES "public"."panel_opinions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_opinion_releases" ADD CONSTRAINT "panel_opinion_releases_released_by_users_id_fk" FOREIGN KEY ("released_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_opinion_signatures" ADD CONSTRAINT "panel_opinion_signatures_opinion_id_panel_opinions_id_fk" FOREIGN KEY ("opinion_id") REFERENCES "public"."panel_opinions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_opinion_signatures" ADD CONSTRAINT "panel_opinion_signatures_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_opinions" ADD CONSTRAINT "panel_opinions_item_id_meeting_items_id_fk" FOREIGN KEY ("item_id") REFERENCES "public"."meeting_items"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_opinions" ADD CONSTRAINT "panel_opinions_meeting_id_meetings_id_fk" FOREIGN KEY ("meeting_id") REFERENCES "public"."meetings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_opinions" ADD CONSTRAINT "panel_opinions_application_id_applications_id_fk" FOREIGN KEY ("application_id") REFERENCES "public"."applications"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_opinions" ADD CONSTRAINT "panel_opinions_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_opinions" ADD CONSTRAINT "panel_opinions_lead_user_id_users_id_fk" FOREIGN KEY ("lead_user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "panel_opinions" ADD CONSTRAINT "panel_opinions_lead_chosen_by_users_id_fk" FOREIGN KEY ("lead_chosen_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "panel_opinions_application_idx" ON "panel_opinions" USING btree ("application_id");