-- Rules of intake and review the database keeps by itself, whoever writes:
-- 1. an application's status moves only along the state machine (src/lib/server/applications/status.ts);
-- 2. a submitted application's content is frozen, and only a draft takes attachments;
-- 3. a call's rubric is frozen once any application to it has been submitted;
-- 4. a submitted review is final until staff return it to its expert (status back to draft).
CREATE OR REPLACE FUNCTION application_status_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
    (OLD.status = 'draft' AND NEW.status IN ('submitted', 'withdrawn')) OR
    (OLD.status = 'submitted' AND NEW.status IN ('accepted', 'rejected', 'withdrawn')) OR
    (OLD.status = 'accepted' AND NEW.status IN ('assigned', 'decided', 'withdrawn')) OR
    (OLD.status = 'assigned' AND NEW.status IN ('accepted', 'reviewed', 'decided', 'withdrawn')) OR
    (OLD.status = 'reviewed' AND NEW.status IN ('assigned', 'accepted', 'decided')) OR
    -- An admin's reopen of a locked decision restores the status it had before.
    (OLD.status = 'decided' AND NEW.status IN ('accepted', 'assigned', 'reviewed'))
  ) THEN
    RAISE EXCEPTION 'application status % -> % is not allowed', OLD.status, NEW.status USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.status <> 'draft' AND (
    NEW.call_id IS DISTINCT FROM OLD.call_id OR NEW.enterprise_id IS DISTINCT FROM OLD.enterprise_id OR
    NEW.enterprise_name IS DISTINCT FROM OLD.enterprise_name OR NEW.credit_code IS DISTINCT FROM OLD.credit_code OR
    NEW.contact_name IS DISTINCT FROM OLD.contact_name OR NEW.contact_phone IS DISTINCT FROM OLD.contact_phone OR
    NEW.contact_email IS DISTINCT FROM OLD.contact_email OR NEW.title IS DISTINCT FROM OLD.title OR
    NEW.field IS DISTINCT FROM OLD.field OR NEW.funding_mode IS DISTINCT FROM OLD.funding_mode OR
    NEW.requested_amount IS DISTINCT FROM OLD.requested_amount OR NEW.is_major IS DISTINCT FROM OLD.is_major OR
    NEW.summary IS DISTINCT FROM OLD.summary OR NEW.team IS DISTINCT FROM OLD.team OR NEW.budget IS DISTINCT FROM OLD.budget OR
    NEW.submitted_at IS DISTINCT FROM OLD.submitted_at OR NEW.number IS DISTINCT FROM OLD.number
  ) THEN
    RAISE EXCEPTION 'application % is submitted: its content cannot change', OLD.number USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER applications_status_guard BEFORE UPDATE ON applications FOR EACH ROW EXECUTE FUNCTION application_status_guard();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION application_attachments_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  app_id uuid;
  app_status application_status;
BEGIN
  IF TG_OP = 'DELETE' THEN app_id := OLD.application_id; ELSE app_id := NEW.application_id; END IF;
  SELECT status INTO app_status FROM applications WHERE id = app_id;
  -- A cascade from a deleted application finds no row: let it through.
  IF app_status IS NOT NULL AND app_status <> 'draft' THEN
    RAISE EXCEPTION 'application_attachments: the application is submitted, % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
--> statement-breakpoint
CREATE TRIGGER application_attachments_guard BEFORE INSERT OR UPDATE OR DELETE ON application_attachments FOR EACH ROW EXECUTE FUNCTION application_attachments_guard();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION call_rubric_locked(target_call uuid) RETURNS boolean LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM applications a WHERE a.call_id = target_call AND a.submitted_at IS NOT NULL)
$$;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION rubric_change_guard() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  target record;
  target_call uuid;
BEGIN
  IF TG_OP = 'DELETE' THEN target := OLD; ELSE target := NEW; END IF;
  IF TG_TABLE_NAME = 'rubrics' THEN
    target_call := target.call_id;
  ELSIF TG_TABLE_NAME = 'rubric_groups' OR TG_TABLE_NAME = 'rubric_rules' THEN
    SELECT r.call_id INTO target_call FROM rubrics r WHERE r.id = target.rubric_id;
  ELSE
    SELECT r.call_id INTO target_call FROM rubric_groups g JOIN rubrics r ON r.id = g.rubric_id WHERE g.id = target.group_id;
  END IF;
  IF target_call IS NOT NULL AND call_rubric_locked(target_call) THEN
    RAISE EXCEPTION 'the rubric of a call with submitted applications is locked: % on % refused', TG_OP, TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN target;
END $$;
--> statement-breakpoint
CREATE TRIGGER rubrics_lock BEFORE INSERT OR UPDATE OR DELETE ON rubrics FOR EACH ROW EXECUTE FUNCTION rubric_change_guard();
--> statement-breakpoint
CREATE TRIGGER rubric_groups_lock BEFORE INSERT OR UPDATE OR DELETE ON rubric_groups FOR EACH ROW EXECUTE FUNCTION rubric_change_guard();
--> statement-breakpoint
CREATE TRIGGER rubric_items_lock BEFORE INSERT OR UPDATE OR DELETE ON rubric_items FOR EACH ROW EXECUTE FUNCTION rubric_change_guard();
--> statement-breakpoint
CREATE TRIGGER rubric_rules_lock BEFORE INSERT OR UPDATE OR DELETE ON rubric_rules FOR EACH ROW EXECUTE FUNCTION rubric_change_guard();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION reviews_submitted_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'submitted' AND (TG_OP = 'DELETE' OR NEW.status = 'submitted') THEN
    RAISE EXCEPTION 'reviews: a submitted review is final, % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
END $$;
--> statement-breakpoint
CREATE TRIGGER reviews_submitted_guard BEFORE UPDATE OR DELETE ON reviews FOR EACH ROW EXECUTE FUNCTION reviews_submitted_guard();
