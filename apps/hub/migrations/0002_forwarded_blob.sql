-- The bytes the hub hands on: the package as received plus this hub's TraceHeader, in the blob store.
-- The package id stays the SHA-256 of the bytes as received, so a resend is recognised.
ALTER TABLE packages ADD COLUMN blob_sha256 text CHECK (blob_sha256 ~ '^[0-9a-f]{64}$');
UPDATE packages SET blob_sha256 = id WHERE blob_sha256 IS NULL;
ALTER TABLE packages ALTER COLUMN blob_sha256 SET NOT NULL;
