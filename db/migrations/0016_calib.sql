CREATE TYPE "public"."discrepancy_rule" AS ENUM('relative', 'absolute');--> statement-breakpoint
ALTER TABLE "calls" ADD COLUMN "discrepancy_rule" "discrepancy_rule" DEFAULT 'relative' NOT NULL;