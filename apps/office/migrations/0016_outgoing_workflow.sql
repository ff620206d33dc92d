-- From a reviewed draft to an issued document: the approval chain, the signer's signature, the
-- number in the outgoing register, the agency's signature, issue; and consultation on drafts.

-- What an agency writes in its notations (Nghị định 30/2020, Phụ lục I): UBND, STC, SYT.
ALTER TABLE agencies ADD COLUMN notation_abbreviation text CHECK (notation_abbreviation ~ '^[[:alnum:]]{1,15}$');

-- The checks a draft goes through after its department's review and before its signer, in order:
-- at each step any leader of the named department (the Văn phòng checking form and wording, say).
CREATE TABLE approval_steps (
  agency_id uuid NOT NULL REFERENCES agencies (id),
  position int NOT NULL CHECK (position >= 1),
  department_id uuid NOT NULL REFERENCES departments (id),
  PRIMARY KEY (agency_id, position)
);

-- The chain a draft was given when submitted for signature, one round per submission: the
-- configured checks, then the signer. Each step records who decided, what and when.
CREATE TABLE outgoing_approvals (
  outgoing_id uuid NOT NULL REFERENCES outgoing_documents (id),
  round int NOT NULL CHECK (round >= 1),
  position int NOT NULL CHECK (position >= 1),
  department_id uuid REFERENCES departments (id),
  signer_id uuid REFERENCES users (id),
  decision text CHECK (decision IN ('approved', 'returned', 'signed')),
  decided_by uuid REFERENCES users (id),
  decided_at timestamptz,
  comment text CHECK (length(comment) <= 4000),
  PRIMARY KEY (outgoing_id, round, position),
  CHECK ((department_id IS NULL) <> (signer_id IS NULL)),
  CHECK ((decision IS NULL) = (decided_at IS NULL))
);

ALTER TABLE outgoing_documents
  ADD COLUMN approval_round int NOT NULL DEFAULT 0,
  -- The step of the current round waiting for a decision; null outside the chain.
  ADD COLUMN approval_step int,
  ADD COLUMN signed_at timestamptz,
  ADD COLUMN signed_by uuid REFERENCES users (id),
  ADD COLUMN register_id uuid REFERENCES registers (id),
  ADD COLUMN register_year int,
  ADD COLUMN number int CHECK (number > 0),
  ADD COLUMN notation text,
  ADD COLUMN issue_date date,
  ADD COLUMN numbered_at timestamptz,
  ADD COLUMN issued_at timestamptz,
  ADD CONSTRAINT outgoing_documents_numbered CHECK ((number IS NULL) = (register_id IS NULL) AND (number IS NULL) = (register_year IS NULL));
-- The last guard against a number given twice: the register's counter is the first.
CREATE UNIQUE INDEX outgoing_documents_register_number ON outgoing_documents (register_id, register_year, number) WHERE number IS NOT NULL;
-- The clerk's list of signed documents waiting to be numbered and issued.
CREATE INDEX outgoing_documents_waiting ON outgoing_documents (agency_id, signed_at) WHERE state IN ('signed', 'numbered');

-- 'signed': the PDF with the signer's signature; 'issued': with its number, date and the agency's signature.
ALTER TABLE outgoing_files DROP CONSTRAINT outgoing_files_role_check;
ALTER TABLE outgoing_files ADD CONSTRAINT outgoing_files_role_check CHECK (role IN ('main', 'pdf', 'attachment', 'signed', 'issued'));
CREATE UNIQUE INDEX outgoing_files_one_signed ON outgoing_files (outgoing_id) WHERE role = 'signed';
CREATE UNIQUE INDEX outgoing_files_one_issued ON outgoing_files (outgoing_id) WHERE role = 'issued';

-- Consultation (xin ý kiến): the drafter asks a department of the agency or another agency of the
-- installation for comments on the draft by a date; the answer is kept with the question.
CREATE TABLE outgoing_consultations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  outgoing_id uuid NOT NULL REFERENCES outgoing_documents (id),
  -- The draft's version the question is about.
  version int NOT NULL,
  department_id uuid REFERENCES departments (id),
  consulted_agency_id uuid REFERENCES agencies (id),
  question text NOT NULL CHECK (length(question) BETWEEN 1 AND 4000),
  due date NOT NULL,
  asked_by uuid NOT NULL REFERENCES users (id),
  asked_at timestamptz NOT NULL DEFAULT now(),
  answer text CHECK (length(answer) BETWEEN 1 AND 8000),
  answered_by uuid REFERENCES users (id),
  answered_at timestamptz,
  CHECK ((department_id IS NULL) <> (consulted_agency_id IS NULL)),
  CHECK ((answer IS NULL) = (answered_at IS NULL))
);
CREATE INDEX outgoing_consultations_of ON outgoing_consultations (outgoing_id, asked_at);
CREATE INDEX outgoing_consultations_agency ON outgoing_consultations (consulted_agency_id, due) WHERE answer IS NULL;

-- Notices about outgoing documents link to them as others link to incoming ones.
ALTER TABLE notifications ADD COLUMN outgoing_id uuid REFERENCES outgoing_documents (id);
