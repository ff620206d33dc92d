-- Status messages the recipients of this installation's documents sent back (01 arrived … 06
-- completed, 15/16 answers to a recall), one row per message and sending agency: what the sender's
-- tracking screen and timeline show.
CREATE TABLE sent_statuses (
  package_id text NOT NULL CHECK (package_id ~ '^[0-9a-f]{64}$'),
  agency_id uuid NOT NULL REFERENCES agencies (id),
  document_id text NOT NULL,
  recipient_code text NOT NULL,
  recipient_name text NOT NULL,
  status text NOT NULL CHECK (status ~ '^[0-9]{2}$'),
  description text,
  -- When the recipient says it happened (its Timestamp), and when it reached us.
  status_at timestamptz NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (package_id, agency_id)
);
CREATE INDEX sent_statuses_document ON sent_statuses (agency_id, document_id, status_at);
CREATE INDEX hub_outbox_sender ON hub_outbox (from_code, created_at DESC, id) WHERE kind = 'document';
