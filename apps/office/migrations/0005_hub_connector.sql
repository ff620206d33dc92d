-- The hub connector: what the office hands to the exchange hub, and what it takes in from it.

-- Packages and status messages waiting to be (or already) accepted by the hub.
CREATE TABLE hub_outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind text NOT NULL CHECK (kind IN ('document', 'status')),
  document_id text NOT NULL,
  from_code text NOT NULL,
  to_codes text[] NOT NULL CHECK (cardinality(to_codes) > 0),
  -- The bytes, in the office's file store.
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint NOT NULL,
  state text NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'sent', 'refused')),
  attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  -- The hub's id for the package once accepted; its refusal (check and reason) if refused.
  hub_package_id text,
  refusal jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz
);
CREATE INDEX hub_outbox_due ON hub_outbox (next_attempt_at) WHERE state = 'queued';
CREATE INDEX hub_outbox_document ON hub_outbox (document_id);

-- What arrived, once per package and recipient however often the hub offers it.
CREATE TABLE hub_inbox (
  package_id text NOT NULL CHECK (package_id ~ '^[0-9a-f]{64}$'),
  recipient_code text NOT NULL,
  kind text NOT NULL CHECK (kind IN ('document', 'status')),
  document_id text NOT NULL,
  from_code text NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  -- Set when the document or status has been taken into the agency's work (incoming list, tracking).
  taken_at timestamptz,
  -- Set when status 01 (arrived) was queued for the sender of a document.
  arrival_reported_at timestamptz,
  PRIMARY KEY (package_id, recipient_code)
);
CREATE INDEX hub_inbox_unreported ON hub_inbox (received_at) WHERE kind = 'document' AND arrival_reported_at IS NULL;
CREATE INDEX hub_inbox_untaken ON hub_inbox (recipient_code, received_at) WHERE taken_at IS NULL;
