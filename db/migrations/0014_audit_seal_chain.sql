-- The app seals each audit row with an HMAC the database cannot compute
-- (src/lib/server/audit/seal.ts). To seal a row before it is written, the app picks its seq
-- and time under the chain lock, and the trigger checks that the seq is the next one instead
-- of choosing it. Unsealed inserts (old code, or someone writing the table by hand) still get
-- a seq and time here; audit:verify reports them once sealing has begun.
CREATE OR REPLACE FUNCTION audit_log_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  last_seq bigint;
  last_hash text;
BEGIN
  -- One writer at a time extends the chain; held until this transaction commits.
  PERFORM pg_advisory_xact_lock(72610001);
  SELECT a.seq, a.hash INTO last_seq, last_hash FROM audit_log a ORDER BY a.seq DESC NULLS LAST LIMIT 1;
  IF NEW.seal IS NULL THEN
    NEW.seq := coalesce(last_seq, 0) + 1;
    NEW.at := date_trunc('microseconds', clock_timestamp());
  ELSIF NEW.seq IS DISTINCT FROM coalesce(last_seq, 0) + 1 THEN
    RAISE EXCEPTION 'audit_log: sealed entry % is not the next one (%)', NEW.seq, coalesce(last_seq, 0) + 1 USING ERRCODE = 'serialization_failure';
  END IF;
  NEW.prev_hash := coalesce(last_hash, '');
  NEW.hash := audit_log_row_hash(NEW.prev_hash, NEW.seq, NEW.at, NEW.actor_id, NEW.actor_name, NEW.ip, NEW.action, NEW.entity_type, NEW.entity_id, NEW.details);
  RETURN NEW;
END $$;
--> statement-breakpoint
-- The audit anchor printed on a lock record is part of the final record: it never changes.
CREATE OR REPLACE FUNCTION document_lock_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'document_locks is history: DELETE refused' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.document_id IS DISTINCT FROM OLD.document_id OR NEW.version_id IS DISTINCT FROM OLD.version_id
     OR NEW.content IS DISTINCT FROM OLD.content OR NEW.content_sha256 IS DISTINCT FROM OLD.content_sha256
     OR NEW.locked_by IS DISTINCT FROM OLD.locked_by OR NEW.locked_at IS DISTINCT FROM OLD.locked_at
     OR NEW.audit_anchor IS DISTINCT FROM OLD.audit_anchor THEN
    RAISE EXCEPTION 'the final content of a lock cannot change' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF OLD.reopened_at IS NOT NULL THEN
    RAISE EXCEPTION 'this lock was already reopened' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.reopened_at IS NOT NULL AND (NEW.reopened_by IS NULL OR coalesce(btrim(NEW.reopen_reason), '') = '') THEN
    RAISE EXCEPTION 'a reopen needs who and why' USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END $$;
