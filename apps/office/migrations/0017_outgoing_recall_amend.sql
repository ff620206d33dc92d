-- After issue: the issuer may ask for a document back (recall, status 13), or issue another that
-- amends or replaces it (BussinessDocType 2/3); the recipients answer 15 or 16.
ALTER TABLE outgoing_documents
  ADD COLUMN amends_id uuid REFERENCES outgoing_documents (id),
  ADD COLUMN amend_kind text CHECK (amend_kind IN ('amend', 'replace')),
  ADD COLUMN amend_reason text CHECK (length(amend_reason) BETWEEN 1 AND 2000),
  ADD COLUMN recall_requested_at timestamptz,
  ADD CONSTRAINT outgoing_documents_amends CHECK ((amends_id IS NULL) = (amend_kind IS NULL) AND (amends_id IS NULL) = (amend_reason IS NULL));
