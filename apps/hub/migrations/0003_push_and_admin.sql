-- Push delivery: the hub POSTs to a system's push URL or forwards to a peer hub, retrying with backoff.
-- Pull deliveries wait for their system to ask, so the retry scan never sees them.
ALTER TABLE deliveries ADD COLUMN mode text NOT NULL DEFAULT 'pull' CHECK (mode IN ('pull', 'push'));
UPDATE deliveries SET mode = 'push' WHERE target_kind = 'peer'
   OR target_id IN (SELECT id FROM systems WHERE push_url IS NOT NULL);
-- A delivery the target refused outright (4xx) is not retried: it fails, on the record.
ALTER TABLE deliveries DROP CONSTRAINT deliveries_state_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_state_check CHECK (state IN ('pending', 'acknowledged', 'failed'));
-- The id the next hub gave a forwarded package, to follow a document's path across hubs.
ALTER TABLE deliveries ADD COLUMN remote_id text;
DROP INDEX deliveries_due;
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending' AND mode = 'push';
CREATE INDEX deliveries_pending_age ON deliveries (created_at) WHERE state = 'pending';

-- Whoever runs the hub manages the registry over the administrator API with a client certificate of their own.
CREATE TABLE administrators (
  name text PRIMARY KEY,
  cert_sha256 text NOT NULL UNIQUE CHECK (cert_sha256 ~ '^[0-9a-f]{64}$'),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The hubs a package passed, this one last: handed on to the next hub so that status messages,
-- which carry no trace of their own, cannot loop either.
ALTER TABLE packages ADD COLUMN via text[] NOT NULL DEFAULT '{}';

-- What a recall, amendment or replacement is about, so that the original document's path shows it.
ALTER TABLE packages ADD COLUMN related_document_id text;
CREATE INDEX packages_related_document ON packages (related_document_id) WHERE related_document_id IS NOT NULL;
