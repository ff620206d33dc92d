-- The office journal: every change to a document, who made it and when, one hash chain per agency
-- (the layout of packages/db's hash-chain), so an edited or deleted event breaks its chain. The
-- timeline a user sees is read from here.
CREATE TABLE office_journal (
  chain text NOT NULL,
  seq bigint NOT NULL,
  at timestamptz NOT NULL,
  body jsonb NOT NULL,
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  PRIMARY KEY (chain, seq)
);
CREATE INDEX office_journal_subject ON office_journal ((body ->> 'subject'), chain, seq);
