-- An established recusal is a record: it is never deleted (only with its meeting) and never
-- edited, except once, to lift it with who lifted it and why. Whoever connects to the database
-- cannot quietly un-recuse someone with an UPDATE or a DELETE.
CREATE OR REPLACE FUNCTION meeting_recusal_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    -- Only as its meeting is deleted (the cascade runs after the meeting row is gone).
    IF EXISTS (SELECT 1 FROM meetings WHERE id = OLD.meeting_id) THEN
      RAISE EXCEPTION 'meeting_recusals is a record: DELETE refused' USING ERRCODE = 'object_not_in_prerequisite_state';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.lifted_at IS NOT NULL
    OR NEW.lifted_at IS NULL OR NEW.lifted_by IS NULL OR coalesce(btrim(NEW.lift_reason), '') = ''
    OR (NEW.id, NEW.meeting_id, NEW.application_id, NEW.user_id, NEW.source, NEW.reason, NEW.established_at)
       IS DISTINCT FROM (OLD.id, OLD.meeting_id, OLD.application_id, OLD.user_id, OLD.source, OLD.reason, OLD.established_at) THEN
    RAISE EXCEPTION 'meeting_recusals is a record: only lifting it once, by someone, with a reason, is allowed' USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER meeting_recusals_guard BEFORE UPDATE OR DELETE ON meeting_recusals FOR EACH ROW EXECUTE FUNCTION meeting_recusal_guard();
--> statement-breakpoint
CREATE TRIGGER meeting_recusals_no_truncate BEFORE TRUNCATE ON meeting_recusals FOR EACH STATEMENT EXECUTE FUNCTION meeting_record_immutable();
