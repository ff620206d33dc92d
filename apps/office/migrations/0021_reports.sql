-- Reports read a period's documents in one pass with FILTER clauses. These indexes hold every column
-- the reports read, so a month of a province (or of one agency) is an index range scan, no table visit.
CREATE INDEX incoming_documents_report ON incoming_documents (received_at)
  INCLUDE (agency_id, channel, state, verdict, due_date, completed_at, sender_code);
CREATE INDEX incoming_documents_agency_report ON incoming_documents (agency_id, received_at)
  INCLUDE (channel, state, verdict, due_date, completed_at, sender_code);
CREATE INDEX outgoing_documents_issued_report ON outgoing_documents (issued_at)
  INCLUDE (agency_id, department_id, drafter_id, signed_by) WHERE issued_at IS NOT NULL;
CREATE INDEX outgoing_documents_agency_issued_report ON outgoing_documents (agency_id, issued_at)
  INCLUDE (department_id, drafter_id, signed_by) WHERE issued_at IS NOT NULL;
CREATE INDEX outgoing_documents_signed_report ON outgoing_documents (signed_at)
  INCLUDE (agency_id, issued_at, department_id, signed_by) WHERE signed_at IS NOT NULL AND state <> 'cancelled';
CREATE INDEX outgoing_documents_agency_signed_report ON outgoing_documents (agency_id, signed_at)
  INCLUDE (issued_at, department_id, signed_by) WHERE signed_at IS NOT NULL AND state <> 'cancelled';
-- The lead handler of a document, for the figures by department and by person.
CREATE INDEX incoming_assignments_lead ON incoming_assignments (incoming_id) INCLUDE (user_id, department_id) WHERE part = 'lead';
