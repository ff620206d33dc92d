-- Direction, assignment and handling of incoming documents, and the notifications that tell people.
ALTER TABLE incoming_documents
  ADD COLUMN submitted_to uuid REFERENCES users (id),
  ADD COLUMN submitted_at timestamptz,
  ADD COLUMN return_reason text CHECK (length(return_reason) BETWEEN 1 AND 2000),
  ADD COLUMN direction text CHECK (length(direction) <= 4000),
  ADD COLUMN directed_by uuid REFERENCES users (id),
  ADD COLUMN directed_at timestamptz,
  -- A calendar day in Vietnam, counted in working days by the leader's screen or given outright.
  ADD COLUMN due_date date,
  ADD COLUMN result text CHECK (length(result) <= 4000),
  ADD COLUMN completed_at timestamptz,
  -- The document this agency sent in answer (its edXML DocumentId).
  ADD COLUMN reply_document_id text,
  -- A copy another agency of this installation forwarded here: the document it came from.
  ADD COLUMN forwarded_from uuid REFERENCES incoming_documents (id),
  -- The sender asks for the document back (13 or BussinessDocType 1), or sends an amended or
  -- replacing version (2, 3: that version is its own incoming document); the clerk answers 15 or 16.
  ADD COLUMN sender_request text CHECK (sender_request IN ('recall', 'amend', 'replace')),
  ADD COLUMN sender_request_reason text,
  ADD COLUMN sender_request_at timestamptz,
  ADD COLUMN sender_request_version uuid REFERENCES incoming_documents (id),
  ADD COLUMN sender_request_answer text CHECK (sender_request_answer IN ('agreed', 'refused'));
CREATE INDEX incoming_documents_submitted ON incoming_documents (submitted_to, received_at DESC, id) WHERE state = 'submitted';
CREATE INDEX incoming_documents_due ON incoming_documents (agency_id, due_date) WHERE state IN ('assigned', 'in_progress');

-- Who handles a document: one lead, co-handlers and people kept informed, each a person or a department.
CREATE TABLE incoming_assignments (
  incoming_id uuid NOT NULL REFERENCES incoming_documents (id),
  part text NOT NULL CHECK (part IN ('lead', 'co', 'info')),
  user_id uuid REFERENCES users (id),
  department_id uuid REFERENCES departments (id),
  assigned_by uuid NOT NULL REFERENCES users (id),
  assigned_at timestamptz NOT NULL,
  -- A co-handler's latest input.
  input text CHECK (length(input) <= 4000),
  input_at timestamptz,
  CHECK (num_nonnulls(user_id, department_id) = 1)
);
CREATE UNIQUE INDEX incoming_assignments_one_lead ON incoming_assignments (incoming_id) WHERE part = 'lead';
CREATE UNIQUE INDEX incoming_assignments_once ON incoming_assignments (incoming_id, COALESCE(user_id, department_id));
CREATE INDEX incoming_assignments_user ON incoming_assignments (user_id, incoming_id) WHERE user_id IS NOT NULL;
CREATE INDEX incoming_assignments_department ON incoming_assignments (department_id, incoming_id) WHERE department_id IS NOT NULL;

-- Files the handlers add while handling (the sender's files have no author here).
ALTER TABLE incoming_files
  ADD COLUMN added_by uuid REFERENCES users (id),
  ADD COLUMN added_at timestamptz;

-- In-app notifications, mailed too when the installation has an SMTP server.
CREATE TABLE notifications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id),
  agency_id uuid NOT NULL REFERENCES agencies (id),
  incoming_id uuid REFERENCES incoming_documents (id),
  kind text NOT NULL CHECK (kind ~ '^[a-z_]{1,40}$'),
  text_vi text NOT NULL,
  text_en text NOT NULL,
  -- Reminders carry a key, so a second run of the reminder job adds nothing.
  once_key text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  read_at timestamptz,
  emailed_at timestamptz
);
CREATE INDEX notifications_user ON notifications (user_id, created_at DESC, id);
CREATE INDEX notifications_unread ON notifications (user_id) WHERE read_at IS NULL;
CREATE INDEX notifications_unmailed ON notifications (created_at) WHERE emailed_at IS NULL;
