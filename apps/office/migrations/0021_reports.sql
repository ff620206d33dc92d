-- Reports. One agency's figures are counted live, one pass per question over these covering
-- indexes (a year of an agency is a few thousand rows). The province's come from a daily rollup.
CREATE INDEX incoming_documents_agency_report ON incoming_documents (agency_id, received_at)
  INCLUDE (channel, state, verdict, due_date, completed_at, sender_code);
CREATE INDEX outgoing_documents_agency_issued_report ON outgoing_documents (agency_id, issued_at)
  INCLUDE (department_id, drafter_id, signed_by) WHERE issued_at IS NOT NULL;
CREATE INDEX outgoing_documents_agency_signed_report ON outgoing_documents (agency_id, signed_at)
  INCLUDE (issued_at, department_id, signed_by) WHERE signed_at IS NOT NULL AND state <> 'cancelled';
-- The lead handler of a document, for the figures by department and by person.
CREATE INDEX incoming_assignments_lead ON incoming_assignments (incoming_id) INCLUDE (user_id, department_id) WHERE part = 'lead';
-- What changes with the clock is read live for the province too: documents being handled (overdue
-- now) and documents signed but not issued (late once the next working morning is over).
CREATE INDEX incoming_documents_handling_report ON incoming_documents (received_at)
  INCLUDE (agency_id, due_date) WHERE state IN ('assigned', 'in_progress');
CREATE INDEX outgoing_documents_unissued_report ON outgoing_documents (signed_at)
  INCLUDE (agency_id) WHERE signed_at IS NOT NULL AND issued_at IS NULL AND state <> 'cancelled';

-- The province's figures per agency and Vietnam day: received (by received day), issued (by issue
-- day), issued on time or late (by signing day). A province's year is 600 agencies × 365 days of
-- rows, not a million documents. Definitions: apps/office/src/reports/figures.ts.
CREATE TABLE report_daily (
  day date NOT NULL,
  agency_id uuid NOT NULL REFERENCES agencies (id),
  received int NOT NULL DEFAULT 0,
  received_hub int NOT NULL DEFAULT 0,
  received_internal int NOT NULL DEFAULT 0,
  received_paper int NOT NULL DEFAULT 0,
  received_national int NOT NULL DEFAULT 0,
  received_province int NOT NULL DEFAULT 0,
  received_signed int NOT NULL DEFAULT 0,
  refused int NOT NULL DEFAULT 0,
  withdrawn int NOT NULL DEFAULT 0,
  on_time int NOT NULL DEFAULT 0,
  late int NOT NULL DEFAULT 0,
  completed int NOT NULL DEFAULT 0,
  handling_days float8 NOT NULL DEFAULT 0,
  issued int NOT NULL DEFAULT 0,
  sent_province int NOT NULL DEFAULT 0,
  sent_national int NOT NULL DEFAULT 0,
  same_day_compliant int NOT NULL DEFAULT 0,
  same_day_late int NOT NULL DEFAULT 0,
  PRIMARY KEY (day, agency_id)
);

-- The (agency, day) pairs whose documents changed since the rollup last counted them. Triggers only
-- append here (no unique key, so writers never wait on each other); the next report recounts them.
CREATE TABLE report_dirty (
  agency_id uuid NOT NULL,
  day date NOT NULL
);

CREATE FUNCTION report_mark_incoming() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN
    INSERT INTO report_dirty VALUES (OLD.agency_id, (OLD.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date);
  END IF;
  IF TG_OP <> 'DELETE' THEN
    INSERT INTO report_dirty VALUES (NEW.agency_id, (NEW.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date);
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER incoming_documents_report
  AFTER INSERT OR DELETE OR UPDATE OF agency_id, channel, state, sender_code, verdict, received_at, due_date, completed_at
  ON incoming_documents FOR EACH ROW EXECUTE FUNCTION report_mark_incoming();

CREATE FUNCTION report_mark_outgoing_row(agency uuid, signed timestamptz, issued timestamptz) RETURNS void LANGUAGE sql AS $$
  INSERT INTO report_dirty
  SELECT agency, (t AT TIME ZONE 'Asia/Ho_Chi_Minh')::date FROM unnest(ARRAY[signed, issued]) AS t WHERE t IS NOT NULL
$$;
CREATE FUNCTION report_mark_outgoing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' THEN PERFORM report_mark_outgoing_row(OLD.agency_id, OLD.signed_at, OLD.issued_at); END IF;
  IF TG_OP <> 'DELETE' THEN PERFORM report_mark_outgoing_row(NEW.agency_id, NEW.signed_at, NEW.issued_at); END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER outgoing_documents_report
  AFTER INSERT OR DELETE OR UPDATE OF agency_id, state, signed_at, issued_at
  ON outgoing_documents FOR EACH ROW EXECUTE FUNCTION report_mark_outgoing();

-- Recipients decide "inside the province" or "national axis" of an issued document.
CREATE FUNCTION report_mark_recipient() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_dirty
  SELECT o.agency_id, (o.issued_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date FROM outgoing_documents o
   WHERE o.id = CASE WHEN TG_OP = 'DELETE' THEN OLD.outgoing_id ELSE NEW.outgoing_id END AND o.issued_at IS NOT NULL;
  RETURN NULL;
END $$;
CREATE TRIGGER outgoing_recipients_report
  AFTER INSERT OR DELETE OR UPDATE ON outgoing_recipients FOR EACH ROW EXECUTE FUNCTION report_mark_recipient();

-- A code added to or removed from the directory moves documents between "inside" and "national",
-- and a changed holiday moves issue deadlines: rare, so every counted day is recounted.
CREATE FUNCTION report_mark_everything() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO report_dirty SELECT agency_id, day FROM report_daily;
  RETURN NULL;
END $$;
CREATE TRIGGER agencies_report AFTER INSERT OR DELETE OR UPDATE OF code ON agencies
  FOR EACH STATEMENT EXECUTE FUNCTION report_mark_everything();
CREATE TRIGGER calendar_days_report AFTER INSERT OR DELETE OR UPDATE ON calendar_days
  FOR EACH STATEMENT EXECUTE FUNCTION report_mark_everything();

-- The documents already here are counted by the first report, as if each had just changed.
INSERT INTO report_dirty
SELECT DISTINCT agency_id, (t AT TIME ZONE 'Asia/Ho_Chi_Minh')::date
  FROM (SELECT agency_id, received_at AS t FROM incoming_documents
        UNION ALL SELECT agency_id, issued_at FROM outgoing_documents WHERE issued_at IS NOT NULL
        UNION ALL SELECT agency_id, signed_at FROM outgoing_documents WHERE signed_at IS NOT NULL) AS changed;
