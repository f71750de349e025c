-- A locked (finalized) document cannot change in the database either, whoever connects: its
-- updates, snapshot, versions and comments are frozen, the lock record's content and hash
-- never change, and the lock is lifted only after the lock row records a reopen (admin, with
-- a reason). Versions are history and are never rewritten.
CREATE OR REPLACE FUNCTION document_is_locked(doc uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM documents WHERE id = doc AND lock_id IS NOT NULL)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION document_content_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  doc uuid;
BEGIN
  IF TG_OP = 'DELETE' THEN doc := OLD.document_id; ELSE doc := NEW.document_id; END IF;
  IF document_is_locked(doc) THEN
    RAISE EXCEPTION 'document % is locked: % on % refused', doc, TG_OP, TG_TABLE_NAME USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER document_updates_locked BEFORE INSERT OR UPDATE OR DELETE ON document_updates FOR EACH ROW EXECUTE FUNCTION document_content_guard();
--> statement-breakpoint
CREATE TRIGGER document_snapshots_locked BEFORE INSERT OR UPDATE OR DELETE ON document_snapshots FOR EACH ROW EXECUTE FUNCTION document_content_guard();
--> statement-breakpoint
CREATE TRIGGER document_comments_locked BEFORE INSERT OR UPDATE ON document_comments FOR EACH ROW EXECUTE FUNCTION document_content_guard();
--> statement-breakpoint
CREATE TRIGGER document_versions_locked BEFORE INSERT ON document_versions FOR EACH ROW EXECUTE FUNCTION document_content_guard();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION document_history_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is history: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
--> statement-breakpoint
CREATE TRIGGER document_versions_immutable BEFORE UPDATE OR DELETE ON document_versions FOR EACH ROW EXECUTE FUNCTION document_history_immutable();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION document_lock_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'document_locks is history: DELETE refused' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF NEW.document_id IS DISTINCT FROM OLD.document_id OR NEW.version_id IS DISTINCT FROM OLD.version_id
     OR NEW.content IS DISTINCT FROM OLD.content OR NEW.content_sha256 IS DISTINCT FROM OLD.content_sha256
     OR NEW.locked_by IS DISTINCT FROM OLD.locked_by OR NEW.locked_at IS DISTINCT FROM OLD.locked_at THEN
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
--> statement-breakpoint
CREATE TRIGGER document_locks_guard BEFORE UPDATE OR DELETE ON document_locks FOR EACH ROW EXECUTE FUNCTION document_lock_guard();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION document_row_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.lock_id IS NOT NULL THEN
      RAISE EXCEPTION 'document % is locked: DELETE refused', OLD.id USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.lock_id IS NULL THEN
    IF NEW.lock_id IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM document_locks l WHERE l.id = NEW.lock_id AND l.document_id = NEW.id AND l.reopened_at IS NULL
    ) THEN
      RAISE EXCEPTION 'a document can only be locked by a lock of its own' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
  END IF;
  -- Locked: the only change allowed is lifting the lock once its reopen is recorded.
  IF NEW.lock_id IS NULL
     AND EXISTS (SELECT 1 FROM document_locks l WHERE l.id = OLD.lock_id AND l.reopened_at IS NOT NULL)
     AND NEW.title IS NOT DISTINCT FROM OLD.title AND NEW.kind IS NOT DISTINCT FROM OLD.kind
     AND NEW.update_seq IS NOT DISTINCT FROM OLD.update_seq THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'document % is locked: UPDATE refused', OLD.id USING ERRCODE = 'object_not_in_prerequisite_state';
END $$;
--> statement-breakpoint
CREATE TRIGGER documents_lock_guard BEFORE UPDATE OR DELETE ON documents FOR EACH ROW EXECUTE FUNCTION document_row_guard();
