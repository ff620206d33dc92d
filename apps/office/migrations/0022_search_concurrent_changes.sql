-- Two transactions changing one document at once (the text worker storing its PDF's text while a
-- clerk saves it) both rebuild its entry. The one whose DELETE waited for the other then found no
-- entry to delete, and its INSERT met the entry the other had committed: a duplicate key, which
-- failed the clerk's save. Now the rebuild puts the entry whether or not one is there. Its INSERT
-- reads after the wait, so the entry put holds both changes.
CREATE FUNCTION search_put(entries search_entries[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO search_entries SELECT * FROM unnest(entries)
  ON CONFLICT (agency_id, document_id) DO UPDATE SET
    (kind, title, reference, reference_key, party, signer, doc_date, year, sorted_at, document_type, urgency, state,
     channel, drafter_id, signer_id, terms)
  = (excluded.kind, excluded.title, excluded.reference, excluded.reference_key, excluded.party, excluded.signer,
     excluded.doc_date, excluded.year, excluded.sorted_at, excluded.document_type, excluded.urgency, excluded.state,
     excluded.channel, excluded.drafter_id, excluded.signer_id, excluded.terms);
$$;

CREATE OR REPLACE FUNCTION search_index_incoming() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_entries e USING changed c WHERE e.agency_id = c.agency_id AND e.document_id = c.id;
  PERFORM search_put(ARRAY(SELECT ROW(v.*)::search_entries FROM search_incoming_rows v JOIN changed c ON c.id = v.document_id));
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION search_index_outgoing() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_entries e USING changed c WHERE e.agency_id = c.agency_id AND e.document_id = c.id;
  PERFORM search_put(ARRAY(SELECT ROW(v.*)::search_entries FROM search_outgoing_rows v JOIN changed c ON c.id = v.document_id));
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION search_index_recipients() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_entries e USING (SELECT DISTINCT outgoing_id FROM changed) c WHERE e.document_id = c.outgoing_id;
  PERFORM search_put(ARRAY(
    SELECT ROW(v.*)::search_entries FROM search_outgoing_rows v JOIN (SELECT DISTINCT outgoing_id FROM changed) c ON c.outgoing_id = v.document_id));
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION search_index_renamed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM new_users n JOIN old_users o ON o.id = n.id WHERE n.full_name IS DISTINCT FROM o.full_name) THEN
    RETURN NULL;
  END IF;
  WITH renamed AS (
    SELECT n.id FROM new_users n JOIN old_users o ON o.id = n.id WHERE n.full_name IS DISTINCT FROM o.full_name
  )
  DELETE FROM search_entries e USING outgoing_documents d
  WHERE e.document_id = d.id AND (d.drafter_id IN (SELECT id FROM renamed) OR d.signer_id IN (SELECT id FROM renamed));
  PERFORM search_put(ARRAY(
    WITH renamed AS (
      SELECT n.id FROM new_users n JOIN old_users o ON o.id = n.id WHERE n.full_name IS DISTINCT FROM o.full_name
    )
    SELECT ROW(v.*)::search_entries FROM search_outgoing_rows v
    WHERE v.drafter_id IN (SELECT id FROM renamed) OR v.signer_id IN (SELECT id FROM renamed)));
  RETURN NULL;
END
$$;

CREATE OR REPLACE FUNCTION search_index_texts() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_entries e USING changed c WHERE e.document_id = c.document_id;
  PERFORM search_put(ARRAY(
    SELECT ROW(v.*)::search_entries FROM search_incoming_rows v JOIN changed c ON c.document_id = v.document_id
    UNION ALL
    SELECT ROW(v.*)::search_entries FROM search_outgoing_rows v JOIN changed c ON c.document_id = v.document_id));
  RETURN NULL;
END
$$;

-- An entry put over one already there is an update: its words are learnt as an inserted one's are.
CREATE TRIGGER search_entries_words_updated AFTER UPDATE ON search_entries
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION search_learn_words();
