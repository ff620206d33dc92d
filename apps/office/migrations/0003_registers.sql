-- Registers (sổ văn bản): numbered books per agency, incoming or outgoing;
-- classified documents have registers of their own. Numbers restart at 1 on 1 January.
CREATE TABLE registers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agency_id uuid NOT NULL REFERENCES agencies (id),
  kind text NOT NULL CHECK (kind IN ('incoming', 'outgoing')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  classified boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX registers_name ON registers (agency_id, kind, lower(name));

CREATE TABLE register_counters (
  register_id uuid NOT NULL REFERENCES registers (id),
  year int NOT NULL CHECK (year BETWEEN 2000 AND 2100),
  last_number int NOT NULL CHECK (last_number > 0),
  PRIMARY KEY (register_id, year)
);
