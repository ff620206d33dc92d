-- A system moving to a new TLS client certificate may keep its old one for some days
-- (`vanban hub system add ... --keep-old-days N`), so that it switches when it is ready and the hub
-- refuses it at no moment in between. After that day the old certificate is refused.
ALTER TABLE systems
  ADD COLUMN previous_cert_sha256 text CHECK (previous_cert_sha256 ~ '^[0-9a-f]{64}$'),
  ADD COLUMN previous_cert_until timestamptz,
  ADD CONSTRAINT systems_previous_cert_whole CHECK ((previous_cert_sha256 IS NULL) = (previous_cert_until IS NULL));
CREATE UNIQUE INDEX systems_previous_cert ON systems (previous_cert_sha256);
-- The same for a peer hub's client certificate.
ALTER TABLE peers
  ADD COLUMN previous_cert_sha256 text CHECK (previous_cert_sha256 ~ '^[0-9a-f]{64}$'),
  ADD COLUMN previous_cert_until timestamptz,
  ADD CONSTRAINT peers_previous_cert_whole CHECK ((previous_cert_sha256 IS NULL) = (previous_cert_until IS NULL));
CREATE UNIQUE INDEX peers_previous_cert ON peers (previous_cert_sha256);
