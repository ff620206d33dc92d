-- The exchange hub's registry, its store of packages and the deliveries it owes.

-- Connected systems (an office installation, another vendor's system), known by their TLS client certificate.
CREATE TABLE systems (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text NOT NULL,
  cert_sha256 text NOT NULL UNIQUE CHECK (cert_sha256 ~ '^[0-9a-f]{64}$'),
  push_url text,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The agencies each system speaks for and receives for.
CREATE TABLE system_agencies (
  agency_code text PRIMARY KEY,
  system_id text NOT NULL REFERENCES systems (id),
  agency_name text NOT NULL
);
CREATE INDEX system_agencies_system ON system_agencies (system_id, agency_code);

-- Other hubs, and which agency codes live behind each.
CREATE TABLE peers (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
  name text NOT NULL,
  hub_code text NOT NULL,
  base_url text NOT NULL,
  cert_sha256 text NOT NULL UNIQUE CHECK (cert_sha256 ~ '^[0-9a-f]{64}$')
);
CREATE TABLE peer_routes (
  pattern text PRIMARY KEY,
  peer_id text NOT NULL REFERENCES peers (id)
);

-- A package is named by the SHA-256 of its bytes: a resend of the same bytes is the same package.
CREATE TABLE packages (
  id text PRIMARY KEY CHECK (id ~ '^[0-9a-f]{64}$'),
  kind text NOT NULL CHECK (kind IN ('document', 'status')),
  document_id text NOT NULL,
  from_code text NOT NULL,
  received_from text NOT NULL,
  size bigint NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX packages_document ON packages (document_id);

-- One delivery per recipient of a package; pulled by or pushed to its target.
CREATE TABLE deliveries (
  seq bigserial UNIQUE,
  package_id text NOT NULL REFERENCES packages (id),
  recipient_code text NOT NULL,
  target_kind text NOT NULL CHECK (target_kind IN ('system', 'peer')),
  target_id text NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'acknowledged')),
  attempts int NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  last_error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  acknowledged_at timestamptz,
  PRIMARY KEY (package_id, recipient_code)
);
CREATE INDEX deliveries_pending ON deliveries (target_kind, target_id, seq) WHERE state = 'pending';
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE state = 'pending';

CREATE TABLE hub_journal (
  chain text NOT NULL,
  seq bigint NOT NULL CHECK (seq > 0),
  at timestamptz NOT NULL,
  body jsonb NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL,
  PRIMARY KEY (chain, seq)
);
CREATE INDEX hub_journal_package ON hub_journal ((body ->> 'packageId'));
