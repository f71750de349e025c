ALTER TABLE "audit_log" ADD COLUMN "seal" text;--> statement-breakpoint
ALTER TABLE "document_locks" ADD COLUMN "audit_anchor" text;--> statement-breakpoint
ALTER TABLE "meeting_decisions" ADD COLUMN "audit_anchor" text;