-- The file plan (danh mục hồ sơ), dossiers (hồ sơ công việc), their transfer to the agency archive
-- (nộp lưu) and the appraisal decisions taken when their retention period has run out.

-- One agency's yearly file plan: the dossiers it expects to open, with how long each is kept.
CREATE TABLE file_plan_entries (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agency_id uuid NOT NULL REFERENCES agencies (id),
  year int NOT NULL CHECK (year BETWEEN 2000 AND 2200),
  code text NOT NULL CHECK (length(code) BETWEEN 1 AND 50),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
  -- The group the plan lists it under (e.g. "I. Tổng hợp"), as the agency writes it.
  heading text CHECK (length(heading) <= 300),
  -- Whole years; null: kept permanently (vĩnh viễn).
  retention_years int CHECK (retention_years BETWEEN 1 AND 100),
  department_id uuid REFERENCES departments (id),
  note text CHECK (length(note) <= 2000),
  position int NOT NULL CHECK (position >= 1),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (agency_id, year, code)
);
CREATE INDEX file_plan_entries_year ON file_plan_entries (agency_id, year, position, id);

-- A transfer to the agency archive: the package written then, kept in the file store.
CREATE TABLE archive_transfers (
  id uuid PRIMARY KEY,
  agency_id uuid NOT NULL REFERENCES agencies (id),
  transferred_by uuid NOT NULL REFERENCES users (id),
  transferred_at timestamptz NOT NULL,
  file_name text NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint NOT NULL CHECK (size > 0),
  dossier_count int NOT NULL CHECK (dossier_count >= 1)
);
CREATE INDEX archive_transfers_newest ON archive_transfers (agency_id, transferred_at DESC, id DESC);

CREATE TABLE dossiers (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agency_id uuid NOT NULL REFERENCES agencies (id),
  entry_id uuid NOT NULL REFERENCES file_plan_entries (id),
  -- Code and retention as the plan said when the dossier was opened: a later edit of the plan does not rewrite them.
  code text NOT NULL,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 1000),
  retention_years int CHECK (retention_years BETWEEN 1 AND 100),
  state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'closed', 'transferred', 'destroyed')),
  responsible_id uuid NOT NULL REFERENCES users (id),
  opened_by uuid NOT NULL REFERENCES users (id),
  start_date date NOT NULL,
  end_date date CHECK (end_date >= start_date),
  page_count int CHECK (page_count >= 0),
  document_count int CHECK (document_count >= 0),
  transfer_id uuid REFERENCES archive_transfers (id),
  -- The last year it is kept (closing year + retention, later extended by a "keep" decision); null: permanent or not closed.
  keep_until_year int,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((state = 'open') = (end_date IS NULL))
);
CREATE INDEX dossiers_newest ON dossiers (agency_id, created_at DESC, id DESC);
CREATE INDEX dossiers_responsible ON dossiers (responsible_id, created_at DESC, id DESC);
CREATE INDEX dossiers_entry ON dossiers (entry_id);
-- The clerk's list of closed dossiers to transfer, oldest deadline first, and the reminders' round.
CREATE INDEX dossiers_to_transfer ON dossiers (agency_id, end_date, id) WHERE state = 'closed';
CREATE INDEX dossiers_closed ON dossiers (end_date, id) WHERE state = 'closed';
-- Transferred dossiers by the year their retention runs out: the appraisal list.
CREATE INDEX dossiers_appraisal ON dossiers (agency_id, keep_until_year, id) WHERE state = 'transferred' AND keep_until_year IS NOT NULL;

-- What a dossier holds: incoming and outgoing documents of its agency, and other files.
CREATE TABLE dossier_items (
  dossier_id uuid NOT NULL REFERENCES dossiers (id),
  position int NOT NULL CHECK (position >= 1),
  kind text NOT NULL CHECK (kind IN ('incoming', 'outgoing', 'file')),
  incoming_id uuid REFERENCES incoming_documents (id),
  outgoing_id uuid REFERENCES outgoing_documents (id),
  name text CHECK (length(name) BETWEEN 1 AND 500),
  content_type text,
  sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint CHECK (size >= 0),
  added_by uuid NOT NULL REFERENCES users (id),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (dossier_id, position),
  CHECK ((kind = 'incoming') = (incoming_id IS NOT NULL)),
  CHECK ((kind = 'outgoing') = (outgoing_id IS NOT NULL)),
  CHECK ((kind = 'file') = (sha256 IS NOT NULL AND name IS NOT NULL AND content_type IS NOT NULL AND size IS NOT NULL))
);
CREATE UNIQUE INDEX dossier_items_incoming ON dossier_items (incoming_id, dossier_id) WHERE incoming_id IS NOT NULL;
CREATE UNIQUE INDEX dossier_items_outgoing ON dossier_items (outgoing_id, dossier_id) WHERE outgoing_id IS NOT NULL;
CREATE INDEX dossier_items_blob ON dossier_items (sha256) WHERE sha256 IS NOT NULL;

-- Decisions taken on a dossier whose retention ran out: keep it longer, or destroy it.
CREATE TABLE dossier_appraisals (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  dossier_id uuid NOT NULL REFERENCES dossiers (id),
  decision text NOT NULL CHECK (decision IN ('keep', 'destroy')),
  extra_years int CHECK (extra_years BETWEEN 1 AND 100),
  reason text NOT NULL CHECK (length(reason) BETWEEN 1 AND 2000),
  legal_basis text NOT NULL CHECK (length(legal_basis) BETWEEN 1 AND 2000),
  decided_by uuid NOT NULL REFERENCES users (id),
  decided_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((decision = 'keep') = (extra_years IS NOT NULL))
);
CREATE INDEX dossier_appraisals_dossier ON dossier_appraisals (dossier_id, decided_at);

-- A reminder about a dossier links to it.
ALTER TABLE notifications ADD COLUMN dossier_id uuid REFERENCES dossiers (id);
