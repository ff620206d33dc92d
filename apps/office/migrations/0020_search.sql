-- Document search: one entry per incoming and outgoing document, kept current by triggers on the
-- tables it is built from, so that every way a document is written (the app, the hub connector, a
-- bulk load with plain SQL) is searchable at once. Triggers are per statement over transition tables:
-- a bulk insert of a million documents indexes them in one set-based pass, not a million calls.

-- Vietnamese without its marks, lower case: "Đà Nẵng" → "da nang". unaccent() is only STABLE (its
-- dictionary is looked up by name through search_path); naming the dictionary with its schema makes
-- the result depend on the argument alone, which an index needs.
DO $$
DECLARE
  ext_schema text := (SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'unaccent');
BEGIN
  EXECUTE format(
    'CREATE FUNCTION search_fold(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT '
    'RETURN lower(%1$s.unaccent(%2$L::regdictionary, t))',
    ext_schema, ext_schema || '.unaccent');
END
$$;

-- Words only, for to_tsvector: "12/ubnd-vp" would otherwise be taken as one file-path token.
CREATE FUNCTION search_words(t text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
RETURN regexp_replace(t, '[^[:alnum:]]+', ' ', 'g');

-- The text of a document's PDF (its text layer, else OCR), filled by the office's text worker, or
-- directly by a bulk load. A row with no extracted_at waits for the worker; sha256 names the file
-- read, so a new file (a signed or issued PDF replacing a draft's) is read again.
CREATE TABLE search_texts (
  document_id uuid PRIMARY KEY,
  kind text NOT NULL CHECK (kind IN ('incoming', 'outgoing')),
  sha256 text CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  body text,
  -- Kept beside the body so that a snippet can find where a word occurs without folding the body per query.
  folded text GENERATED ALWAYS AS (search_fold(body)) STORED,
  -- Its words, made once when the text is stored rather than each time the document's entry is rebuilt.
  body_terms tsvector GENERATED ALWAYS AS (to_tsvector('simple', search_words(left(search_fold(body), 200000)))) STORED,
  source text CHECK (source IN ('text_layer', 'ocr')),
  -- Why the file could not be read, once it has been tried (unreadable, unsupported, tool_missing...).
  problem text CHECK (length(problem) <= 1000),
  extracted_at timestamptz
);
CREATE INDEX search_texts_pending ON search_texts (document_id) WHERE extracted_at IS NULL;

-- What a search reads: display columns, facet columns, the columns that decide who may see it, and
-- the words of the folded metadata and PDF text (weight A and D) for full-text matching and ranking.
--
-- Partitioned by agency (hash): a search names one agency, so it reads one partition, whose indexes
-- hold some sixty-fourth of the installation's documents. Without it, a common word ("quyết định")
-- has a posting list of hundreds of thousands of documents to intersect with the agency's few thousand.
CREATE TABLE search_entries (
  document_id uuid NOT NULL,
  kind text NOT NULL CHECK (kind IN ('incoming', 'outgoing')),
  agency_id uuid NOT NULL,
  title text NOT NULL,
  reference text NOT NULL,
  -- The number/notation folded, for an exact hit on it to rank first without folding it per query.
  reference_key text NOT NULL,
  party text NOT NULL,
  signer text,
  doc_date date NOT NULL,
  year int NOT NULL,
  sorted_at timestamptz NOT NULL,
  document_type text NOT NULL,
  urgency text NOT NULL,
  state text NOT NULL,
  channel text,
  -- Outgoing: who drafted it and who signs it see it without seeing the whole agency.
  drafter_id uuid,
  signer_id uuid,
  terms tsvector NOT NULL,
  PRIMARY KEY (agency_id, document_id)
) PARTITION BY HASH (agency_id);
DO $$
BEGIN
  FOR i IN 0..63 LOOP
    EXECUTE format('CREATE TABLE search_entries_%s PARTITION OF search_entries FOR VALUES WITH (MODULUS 64, REMAINDER %s)', i, i);
  END LOOP;
END
$$;
-- The triggers replace an entry by its document id alone.
CREATE INDEX search_entries_document ON search_entries (document_id);
CREATE INDEX search_entries_terms ON search_entries USING gin (terms);
CREATE INDEX search_entries_agency ON search_entries (agency_id, sorted_at DESC, document_id DESC);

-- The words of the documents' metadata, once each: a query's word that no document has is looked
-- up here (one letter off, or similar by trigrams) and replaced by the words it may have meant, so
-- that a typo costs a look-up in a few thousand words, not a similarity check of every document.
-- Words are never removed: one no document has any more only finds nothing.
CREATE TABLE search_vocabulary (word text COLLATE "C" PRIMARY KEY);
CREATE INDEX search_vocabulary_trigrams ON search_vocabulary USING gin (word gin_trgm_ops);
CREATE FUNCTION search_learn_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_vocabulary (word)
  SELECT DISTINCT w FROM changed, unnest(tsvector_to_array(ts_filter(changed.terms, '{a}'))) w
  ON CONFLICT DO NOTHING;
  RETURN NULL;
END
$$;
CREATE TRIGGER search_entries_words AFTER INSERT ON search_entries
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_learn_words();

-- How an entry is built from its document: the only definition, used by the triggers and by a rebuild.
CREATE VIEW search_incoming_rows AS
SELECT
  d.id AS document_id,
  'incoming'::text AS kind,
  d.agency_id,
  d.subject AS title,
  concat_ws('/', nullif(d.number, ''), nullif(d.notation, '')) AS reference,
  search_fold(concat_ws('/', nullif(d.number, ''), nullif(d.notation, ''))) AS reference_key,
  d.sender_name AS party,
  d.signer_name AS signer,
  coalesce(d.issue_date, (d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) AS doc_date,
  extract(year FROM coalesce(d.issue_date, (d.received_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date))::int AS year,
  d.received_at AS sorted_at,
  d.document_type,
  d.urgency,
  d.state,
  d.channel,
  NULL::uuid AS drafter_id,
  NULL::uuid AS signer_id,
  setweight(to_tsvector('simple', search_words(m.meta)), 'A')
    || setweight(coalesce(t.body_terms, ''::tsvector), 'D') AS terms
FROM incoming_documents d
LEFT JOIN search_texts t ON t.document_id = d.id
CROSS JOIN LATERAL (
  SELECT search_fold(concat_ws(' ', d.subject, concat_ws('/', nullif(d.number, ''), nullif(d.notation, '')),
    d.sender_name, d.sender_code, d.signer_name, d.document_type)) AS meta
) m;

CREATE VIEW search_outgoing_rows AS
SELECT
  d.id AS document_id,
  'outgoing'::text AS kind,
  d.agency_id,
  d.subject AS title,
  concat_ws('/', d.number::text, d.notation) AS reference,
  search_fold(concat_ws('/', d.number::text, d.notation)) AS reference_key,
  coalesce(r.names, '') AS party,
  s.full_name AS signer,
  coalesce(d.issue_date, (d.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date) AS doc_date,
  extract(year FROM coalesce(d.issue_date, (d.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh')::date))::int AS year,
  d.created_at AS sorted_at,
  d.document_type,
  d.urgency,
  d.state,
  NULL::text AS channel,
  d.drafter_id,
  d.signer_id,
  setweight(to_tsvector('simple', search_words(m.meta)), 'A')
    || setweight(coalesce(t.body_terms, ''::tsvector), 'D') AS terms
FROM outgoing_documents d
JOIN users dr ON dr.id = d.drafter_id
LEFT JOIN users s ON s.id = d.signer_id
LEFT JOIN search_texts t ON t.document_id = d.id
LEFT JOIN LATERAL (
  SELECT string_agg(x.agency_name, '; ' ORDER BY x.position) AS names FROM outgoing_recipients x WHERE x.outgoing_id = d.id
) r ON true
CROSS JOIN LATERAL (
  SELECT search_fold(concat_ws(' ', d.subject, concat_ws('/', d.number::text, d.notation), r.names, s.full_name,
    dr.full_name, d.document_type)) AS meta
) m;

-- Rebuilds every entry from the documents: after a bulk load made with triggers off, or to repair.
CREATE FUNCTION search_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  TRUNCATE search_entries;
  INSERT INTO search_entries SELECT * FROM search_incoming_rows;
  INSERT INTO search_entries SELECT * FROM search_outgoing_rows;
  SELECT count(*) INTO n FROM search_entries;
  RETURN n;
END
$$;

-- The triggers below name their transition table `changed` and its column of document ids differs
-- by table: each function (re-)indexes the documents the statement touched. A new document has no
-- entry yet: a bulk insert only adds.
CREATE FUNCTION search_add_incoming() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_entries SELECT v.* FROM search_incoming_rows v JOIN changed c ON c.id = v.document_id;
  RETURN NULL;
END
$$;
CREATE FUNCTION search_index_incoming() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_entries e USING changed c WHERE e.agency_id = c.agency_id AND e.document_id = c.id;
  INSERT INTO search_entries SELECT v.* FROM search_incoming_rows v JOIN changed c ON c.id = v.document_id;
  RETURN NULL;
END
$$;
CREATE TRIGGER search_incoming_inserted AFTER INSERT ON incoming_documents
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_add_incoming();
CREATE TRIGGER search_incoming_updated AFTER UPDATE ON incoming_documents
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_index_incoming();

CREATE FUNCTION search_add_outgoing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_entries SELECT v.* FROM search_outgoing_rows v JOIN changed c ON c.id = v.document_id;
  RETURN NULL;
END
$$;
CREATE FUNCTION search_index_outgoing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_entries e USING changed c WHERE e.agency_id = c.agency_id AND e.document_id = c.id;
  INSERT INTO search_entries SELECT v.* FROM search_outgoing_rows v JOIN changed c ON c.id = v.document_id;
  RETURN NULL;
END
$$;
CREATE TRIGGER search_outgoing_inserted AFTER INSERT ON outgoing_documents
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_add_outgoing();
CREATE TRIGGER search_outgoing_updated AFTER UPDATE ON outgoing_documents
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_index_outgoing();

-- Recipients are searched by name: a change to them re-indexes their document.
CREATE FUNCTION search_index_recipients() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_entries e USING (SELECT DISTINCT outgoing_id FROM changed) c WHERE e.document_id = c.outgoing_id;
  INSERT INTO search_entries
  SELECT v.* FROM search_outgoing_rows v JOIN (SELECT DISTINCT outgoing_id FROM changed) c ON c.outgoing_id = v.document_id;
  RETURN NULL;
END
$$;
CREATE TRIGGER search_recipients_inserted AFTER INSERT ON outgoing_recipients
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_index_recipients();
CREATE TRIGGER search_recipients_updated AFTER UPDATE ON outgoing_recipients
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_index_recipients();
CREATE TRIGGER search_recipients_deleted AFTER DELETE ON outgoing_recipients
  REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_index_recipients();

-- The signer and drafter are searched by name: a renamed user re-indexes their outgoing documents
-- (only a rename: users are updated at every login).
CREATE FUNCTION search_index_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_users n JOIN old_users o ON o.id = n.id WHERE n.full_name IS DISTINCT FROM o.full_name) THEN
    RETURN NULL;
  END IF;
  WITH renamed AS (
    SELECT n.id FROM new_users n JOIN old_users o ON o.id = n.id WHERE n.full_name IS DISTINCT FROM o.full_name
  )
  DELETE FROM search_entries e USING outgoing_documents d
  WHERE e.document_id = d.id AND (d.drafter_id IN (SELECT id FROM renamed) OR d.signer_id IN (SELECT id FROM renamed));
  WITH renamed AS (
    SELECT n.id FROM new_users n JOIN old_users o ON o.id = n.id WHERE n.full_name IS DISTINCT FROM o.full_name
  )
  INSERT INTO search_entries
  SELECT v.* FROM search_outgoing_rows v
  WHERE v.drafter_id IN (SELECT id FROM renamed) OR v.signer_id IN (SELECT id FROM renamed);
  RETURN NULL;
END
$$;
CREATE TRIGGER search_users_renamed AFTER UPDATE ON users
  REFERENCING OLD TABLE AS old_users NEW TABLE AS new_users FOR EACH STATEMENT EXECUTE FUNCTION search_index_renamed();

-- A document's text, once read (or loaded), goes into its entry's words.
CREATE FUNCTION search_index_texts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_entries e USING changed c WHERE e.document_id = c.document_id;
  INSERT INTO search_entries SELECT v.* FROM search_incoming_rows v JOIN changed c ON c.document_id = v.document_id;
  INSERT INTO search_entries SELECT v.* FROM search_outgoing_rows v JOIN changed c ON c.document_id = v.document_id;
  RETURN NULL;
END
$$;
CREATE TRIGGER search_texts_inserted AFTER INSERT ON search_texts
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_index_texts();
CREATE TRIGGER search_texts_updated AFTER UPDATE ON search_texts
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_index_texts();

-- A document's PDF waits for the text worker once stored: for an incoming document the first PDF the
-- sender sent, for an outgoing one the most final PDF it has (issued, signed, made from the draft, the draft).
-- The text already read stays searchable until the new file's text replaces it.
CREATE FUNCTION search_queue_incoming_files() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_texts (document_id, kind, sha256)
  SELECT DISTINCT ON (f.incoming_id) f.incoming_id, 'incoming', f.sha256
  FROM incoming_files f
  WHERE f.incoming_id IN (SELECT incoming_id FROM changed) AND f.content_type = 'application/pdf' AND f.added_by IS NULL
  ORDER BY f.incoming_id, f.position
  ON CONFLICT (document_id) DO UPDATE SET sha256 = excluded.sha256, extracted_at = NULL, problem = NULL
    WHERE search_texts.sha256 IS DISTINCT FROM excluded.sha256;
  RETURN NULL;
END
$$;
CREATE TRIGGER search_incoming_files_inserted AFTER INSERT ON incoming_files
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_queue_incoming_files();

CREATE FUNCTION search_queue_outgoing_files() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_texts (document_id, kind, sha256)
  SELECT DISTINCT ON (f.outgoing_id) f.outgoing_id, 'outgoing', f.sha256
  FROM outgoing_files f
  WHERE f.outgoing_id IN (SELECT outgoing_id FROM changed) AND f.content_type = 'application/pdf'
    AND f.role IN ('issued', 'signed', 'pdf', 'main')
  ORDER BY f.outgoing_id, array_position(ARRAY['issued', 'signed', 'pdf', 'main'], f.role)
  ON CONFLICT (document_id) DO UPDATE SET sha256 = excluded.sha256, extracted_at = NULL, problem = NULL
    WHERE search_texts.sha256 IS DISTINCT FROM excluded.sha256;
  RETURN NULL;
END
$$;
CREATE TRIGGER search_outgoing_files_inserted AFTER INSERT ON outgoing_files
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_queue_outgoing_files();
CREATE TRIGGER search_outgoing_files_updated AFTER UPDATE ON outgoing_files
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_queue_outgoing_files();

-- Documents already there when search arrives.
SELECT search_rebuild();
INSERT INTO search_texts (document_id, kind, sha256)
SELECT DISTINCT ON (f.incoming_id) f.incoming_id, 'incoming', f.sha256 FROM incoming_files f
WHERE f.content_type = 'application/pdf' AND f.added_by IS NULL ORDER BY f.incoming_id, f.position;
INSERT INTO search_texts (document_id, kind, sha256)
SELECT DISTINCT ON (f.outgoing_id) f.outgoing_id, 'outgoing', f.sha256 FROM outgoing_files f
WHERE f.content_type = 'application/pdf' AND f.role IN ('issued', 'signed', 'pdf', 'main')
ORDER BY f.outgoing_id, array_position(ARRAY['issued', 'signed', 'pdf', 'main'], f.role);
