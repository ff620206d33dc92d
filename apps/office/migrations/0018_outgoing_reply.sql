-- A reply to an incoming document may complete it when issued: the drafter says so on the draft.
ALTER TABLE outgoing_documents ADD COLUMN completes_incoming boolean NOT NULL DEFAULT false;
CREATE INDEX outgoing_documents_reply ON outgoing_documents (in_reply_to) WHERE in_reply_to IS NOT NULL;
