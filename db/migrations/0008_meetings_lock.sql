-- A locked decision is immutable in the database itself, whoever connects: rows of
-- meeting_decisions are only ever inserted (every one is locked at insert), so UPDATE and
-- DELETE are refused outright. A reopen is its own row and can never be withdrawn either.
-- Scores of a revealed round and the counts of a closed ballot are frozen the same way.
CREATE OR REPLACE FUNCTION meeting_record_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is a locked record: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'object_not_in_prerequisite_state';
END $$;
--> statement-breakpoint
CREATE TRIGGER meeting_decisions_immutable BEFORE UPDATE OR DELETE ON meeting_decisions FOR EACH ROW EXECUTE FUNCTION meeting_record_immutable();
--> statement-breakpoint
CREATE TRIGGER meeting_decision_reopens_immutable BEFORE UPDATE OR DELETE ON meeting_decision_reopens FOR EACH ROW EXECUTE FUNCTION meeting_record_immutable();
--> statement-breakpoint
CREATE TRIGGER meeting_decisions_no_truncate BEFORE TRUNCATE ON meeting_decisions FOR EACH STATEMENT EXECUTE FUNCTION meeting_record_immutable();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION meeting_score_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  item uuid;
  rnd integer;
BEGIN
  IF TG_OP = 'INSERT' THEN item := NEW.item_id; rnd := NEW.round; ELSE item := OLD.item_id; rnd := OLD.round; END IF;
  IF EXISTS (SELECT 1 FROM meeting_rounds WHERE item_id = item AND round = rnd AND revealed_at IS NOT NULL) THEN
    RAISE EXCEPTION 'round % of item % is revealed: % of a score refused', rnd, item, TG_OP USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER meeting_scores_frozen BEFORE INSERT OR UPDATE OR DELETE ON meeting_scores FOR EACH ROW EXECUTE FUNCTION meeting_score_guard();
