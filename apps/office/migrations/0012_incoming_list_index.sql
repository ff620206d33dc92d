-- The "all" and "my work" lists read an agency's documents newest first across states: an index in
-- that order lets them stop after one page instead of sorting every document of the agency.
CREATE INDEX incoming_documents_newest ON incoming_documents (agency_id, received_at DESC, id DESC);
