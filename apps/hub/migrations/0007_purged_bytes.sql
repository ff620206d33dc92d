-- The bytes of a package every recipient acknowledged may be removed once they are old enough
-- (`vanban hub purge`): the package's record, its deliveries and its journal entries stay, so its
-- path can still be told; a resend that names a recipient not yet served stores the bytes again.
ALTER TABLE packages ADD COLUMN purged_at timestamptz;
CREATE INDEX packages_unpurged_age ON packages (received_at) WHERE purged_at IS NULL;
