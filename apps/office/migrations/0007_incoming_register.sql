-- Registering an incoming document: its number in the chosen incoming register, or the clerk's
-- reason for refusing it; a possible duplicate (same sender, number, notation and date) is flagged.
ALTER TABLE incoming_documents
  ADD COLUMN register_id uuid REFERENCES registers (id),
  ADD COLUMN register_year int,
  ADD COLUMN register_number int CHECK (register_number > 0),
  ADD COLUMN registered_at timestamptz,
  ADD COLUMN registered_by uuid REFERENCES users (id),
  ADD COLUMN refusal_reason text CHECK (length(refusal_reason) BETWEEN 1 AND 2000),
  ADD COLUMN possible_duplicate_of uuid REFERENCES incoming_documents (id);
CREATE UNIQUE INDEX incoming_documents_register_number ON incoming_documents (register_id, register_year, register_number)
  WHERE register_id IS NOT NULL;
CREATE INDEX incoming_documents_identity ON incoming_documents (agency_id, sender_code, number, notation, issue_date);
