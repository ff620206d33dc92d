-- A draft whose main file is a Word document also holds the PDF made from it: the PDF is what is signed.
ALTER TABLE outgoing_files DROP CONSTRAINT outgoing_files_role_check;
ALTER TABLE outgoing_files ADD CONSTRAINT outgoing_files_role_check CHECK (role IN ('main', 'pdf', 'attachment'));
CREATE UNIQUE INDEX outgoing_files_one_pdf ON outgoing_files (outgoing_id) WHERE role = 'pdf';
