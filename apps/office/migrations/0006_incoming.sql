-- Incoming documents (văn bản đến): what reached an agency, through the hub, from another agency of
-- this installation, or on paper, and where it stands in the agency's work.
CREATE TABLE incoming_documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agency_id uuid NOT NULL REFERENCES agencies (id),
  channel text NOT NULL CHECK (channel IN ('hub', 'internal', 'paper')),
  state text NOT NULL DEFAULT 'awaiting'
    CHECK (state IN ('awaiting', 'refused', 'registered', 'submitted', 'assigned', 'in_progress', 'completed', 'withdrawn')),
  -- The sender's identity of the document (edXML DocumentId): status messages and recalls name it.
  document_id text,
  sender_code text,
  sender_name text NOT NULL CHECK (length(sender_name) BETWEEN 1 AND 500),
  number text NOT NULL,
  notation text NOT NULL DEFAULT '',
  issue_date date,
  document_type text NOT NULL DEFAULT '',
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 4000),
  urgency text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'urgent', 'very_urgent', 'express', 'express_scheduled')),
  signer_name text,
  -- The date by which the sender expects an answer, if it set one.
  reply_due date,
  -- Hub arrivals: the package as received and the signature check made when it was taken in.
  hub_package_id text,
  hub_recipient_code text,
  package_sha256 text CHECK (package_sha256 ~ '^[0-9a-f]{64}$'),
  verdict text CHECK (verdict IN ('valid', 'invalid', 'indeterminate')),
  verification jsonb,
  received_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (hub_package_id, hub_recipient_code)
);
CREATE INDEX incoming_documents_list ON incoming_documents (agency_id, state, received_at DESC, id);
CREATE INDEX incoming_documents_document ON incoming_documents (document_id);

-- The files of an incoming document, in the office's file store, in the order the sender gave them.
CREATE TABLE incoming_files (
  incoming_id uuid NOT NULL REFERENCES incoming_documents (id),
  position int NOT NULL CHECK (position >= 1),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
  content_type text NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint NOT NULL CHECK (size >= 0),
  PRIMARY KEY (incoming_id, position)
);

-- An arrival the office cannot place (its recipient is not an agency here, or the package cannot be
-- read) stays in the inbox with the reason, out of the way of the others, until someone clears it.
ALTER TABLE hub_inbox ADD COLUMN unplaced text;
