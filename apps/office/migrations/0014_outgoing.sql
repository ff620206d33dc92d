-- Outgoing documents (văn bản đi), from the first draft to issue. A draft is saved many times:
-- each save is a version, whose fields, recipients and files are kept as they were.
CREATE TABLE outgoing_documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agency_id uuid NOT NULL REFERENCES agencies (id),
  state text NOT NULL DEFAULT 'draft'
    CHECK (state IN ('draft', 'in_review', 'reviewed', 'in_approval', 'signed', 'numbered', 'issued', 'cancelled')),
  -- The edXML DocumentId: what the recipients' status messages and a recall will name.
  document_id text NOT NULL UNIQUE DEFAULT gen_random_uuid()::text,
  document_type text NOT NULL CHECK (length(document_type) BETWEEN 1 AND 100),
  -- As the type was when chosen: the notation is built from it.
  type_abbreviation text,
  subject text NOT NULL CHECK (length(subject) BETWEEN 1 AND 4000),
  urgency text NOT NULL DEFAULT 'normal' CHECK (urgency IN ('normal', 'urgent', 'very_urgent', 'express', 'express_scheduled')),
  classification text NOT NULL DEFAULT 'none' CHECK (classification IN ('none', 'confidential', 'secret', 'top_secret')),
  drafter_id uuid NOT NULL REFERENCES users (id),
  -- The drafting unit: a Công văn's notation ends with its abbreviation.
  department_id uuid REFERENCES departments (id),
  signer_id uuid REFERENCES users (id),
  -- The date by which an answer is expected from the recipients, if any.
  reply_due date,
  -- The incoming document this one answers.
  in_reply_to uuid REFERENCES incoming_documents (id),
  version int NOT NULL DEFAULT 1 CHECK (version > 0),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outgoing_documents_newest ON outgoing_documents (agency_id, updated_at DESC, id DESC);
CREATE INDEX outgoing_documents_drafter ON outgoing_documents (drafter_id, updated_at DESC, id DESC);

-- Recipients by agency code: inside this installation they receive directly, others through the hub.
CREATE TABLE outgoing_recipients (
  outgoing_id uuid NOT NULL REFERENCES outgoing_documents (id),
  position int NOT NULL CHECK (position >= 1),
  agency_code text NOT NULL,
  agency_name text NOT NULL CHECK (length(agency_name) BETWEEN 1 AND 300),
  PRIMARY KEY (outgoing_id, agency_code)
);

-- The files of the current version: one main file (DOCX or PDF) and attachments, in the file store.
CREATE TABLE outgoing_files (
  outgoing_id uuid NOT NULL REFERENCES outgoing_documents (id),
  position int NOT NULL CHECK (position >= 1),
  role text NOT NULL CHECK (role IN ('main', 'attachment')),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 500),
  content_type text NOT NULL,
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  size bigint NOT NULL CHECK (size >= 0),
  PRIMARY KEY (outgoing_id, position)
);
CREATE UNIQUE INDEX outgoing_files_one_main ON outgoing_files (outgoing_id) WHERE role = 'main';

-- Every save of a draft: what it said and held then (fields, recipients, files), who saved it, why.
CREATE TABLE outgoing_versions (
  outgoing_id uuid NOT NULL REFERENCES outgoing_documents (id),
  version int NOT NULL CHECK (version > 0),
  content jsonb NOT NULL,
  note text CHECK (length(note) <= 2000),
  saved_by uuid NOT NULL REFERENCES users (id),
  saved_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (outgoing_id, version)
);
