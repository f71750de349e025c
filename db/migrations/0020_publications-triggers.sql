-- A published list is a snapshot: its rows never change, whoever connects. The publication
-- itself changes once, from open to final (the lock: hash, who, when), and never after; it is
-- never deleted. No objection is lodged against a final list. The 2026 holiday calendar
-- (国务院办公厅关于2026年部分节假日安排的通知) is seeded; admins maintain later years.
CREATE OR REPLACE FUNCTION publication_snapshot_immutable() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is a published snapshot: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'object_not_in_prerequisite_state';
END $$;
--> statement-breakpoint
CREATE TRIGGER publication_rows_immutable BEFORE UPDATE OR DELETE ON publication_rows FOR EACH ROW EXECUTE FUNCTION publication_snapshot_immutable();
--> statement-breakpoint
CREATE TRIGGER publication_rows_no_truncate BEFORE TRUNCATE ON publication_rows FOR EACH STATEMENT EXECUTE FUNCTION publication_snapshot_immutable();
--> statement-breakpoint
CREATE TRIGGER publications_no_delete BEFORE DELETE ON publications FOR EACH ROW EXECUTE FUNCTION publication_snapshot_immutable();
--> statement-breakpoint
CREATE TRIGGER publications_no_truncate BEFORE TRUNCATE ON publications FOR EACH STATEMENT EXECUTE FUNCTION publication_snapshot_immutable();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION publication_lock_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'final' THEN
    RAISE EXCEPTION 'publication % is final: UPDATE refused', OLD.id USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  -- While open, only the finalization itself may change it; what was published stays.
  IF NEW.call_id IS DISTINCT FROM OLD.call_id OR NEW.kind IS DISTINCT FROM OLD.kind OR NEW.title IS DISTINCT FROM OLD.title
     OR NEW.notice IS DISTINCT FROM OLD.notice OR NEW.period_length IS DISTINCT FROM OLD.period_length
     OR NEW.period_unit IS DISTINCT FROM OLD.period_unit OR NEW.starts_at IS DISTINCT FROM OLD.starts_at
     OR NEW.ends_at IS DISTINCT FROM OLD.ends_at OR NEW.published_by IS DISTINCT FROM OLD.published_by
     OR NEW.published_at IS DISTINCT FROM OLD.published_at OR NEW.status <> 'final' THEN
    RAISE EXCEPTION 'publication % is published: only its finalization may change it', OLD.id USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER publications_lock BEFORE UPDATE ON publications FOR EACH ROW EXECUTE FUNCTION publication_lock_guard();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION publication_objection_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM publications WHERE id = NEW.publication_id AND status = 'final') THEN
    RAISE EXCEPTION 'publication % is final: % of an objection refused', NEW.publication_id, TG_OP USING ERRCODE = 'object_not_in_prerequisite_state';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM publication_rows WHERE id = NEW.row_id AND publication_id = NEW.publication_id) THEN
    RAISE EXCEPTION 'row % is not on publication %', NEW.row_id, NEW.publication_id USING ERRCODE = 'foreign_key_violation';
  END IF;
  RETURN NEW;
END $$;
--> statement-breakpoint
CREATE TRIGGER publication_objections_open BEFORE INSERT OR UPDATE ON publication_objections FOR EACH ROW EXECUTE FUNCTION publication_objection_guard();
--> statement-breakpoint
CREATE TRIGGER publication_objections_no_delete BEFORE DELETE ON publication_objections FOR EACH ROW EXECUTE FUNCTION publication_snapshot_immutable();
--> statement-breakpoint
INSERT INTO calendar_days (day, kind, name) VALUES
  ('2026-01-01', 'holiday', '元旦'), ('2026-01-02', 'holiday', '元旦'), ('2026-01-03', 'holiday', '元旦'),
  ('2026-01-04', 'workday', '元旦调休上班'),
  ('2026-02-14', 'workday', '春节调休上班'),
  ('2026-02-15', 'holiday', '春节'), ('2026-02-16', 'holiday', '春节'), ('2026-02-17', 'holiday', '春节'),
  ('2026-02-18', 'holiday', '春节'), ('2026-02-19', 'holiday', '春节'), ('2026-02-20', 'holiday', '春节'),
  ('2026-02-21', 'holiday', '春节'), ('2026-02-22', 'holiday', '春节'), ('2026-02-23', 'holiday', '春节'),
  ('2026-02-28', 'workday', '春节调休上班'),
  ('2026-04-04', 'holiday', '清明节'), ('2026-04-05', 'holiday', '清明节'), ('2026-04-06', 'holiday', '清明节'),
  ('2026-05-01', 'holiday', '劳动节'), ('2026-05-02', 'holiday', '劳动节'), ('2026-05-03', 'holiday', '劳动节'),
  ('2026-05-04', 'holiday', '劳动节'), ('2026-05-05', 'holiday', '劳动节'),
  ('2026-05-09', 'workday', '劳动节调休上班'),
  ('2026-06-19', 'holiday', '端午节'), ('2026-06-20', 'holiday', '端午节'), ('2026-06-21', 'holiday', '端午节'),
  ('2026-09-20', 'workday', '国庆节调休上班'),
  ('2026-09-25', 'holiday', '中秋节'), ('2026-09-26', 'holiday', '中秋节'), ('2026-09-27', 'holiday', '中秋节'),
  ('2026-10-01', 'holiday', '国庆节'), ('2026-10-02', 'holiday', '国庆节'), ('2026-10-03', 'holiday', '国庆节'),
  ('2026-10-04', 'holiday', '国庆节'), ('2026-10-05', 'holiday', '国庆节'), ('2026-10-06', 'holiday', '国庆节'),
  ('2026-10-07', 'holiday', '国庆节'),
  ('2026-10-10', 'workday', '国庆节调休上班')
ON CONFLICT (day) DO NOTHING;
