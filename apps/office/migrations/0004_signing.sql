-- Signing credentials: the certificates of agencies (organisation certificates, used at issue)
-- and of signers (personal certificates), and where each one's private key lives. Only the
-- file backend exists so far; a PKCS#11 token or a remote (CSC) service will be other backends.
CREATE TABLE signing_credentials (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agency_id uuid NOT NULL REFERENCES agencies (id),
  -- Null for the agency's own certificate.
  user_id uuid REFERENCES users (id),
  backend text NOT NULL CHECK (backend IN ('file')),
  -- For the file backend: the key's name in the office's key folder.
  key_ref text NOT NULL CHECK (length(key_ref) BETWEEN 1 AND 200),
  -- PEM: the certificate, then its issuers.
  certificate_chain text NOT NULL,
  serial text NOT NULL UNIQUE,
  subject text NOT NULL,
  not_before timestamptz NOT NULL,
  not_after timestamptz NOT NULL CHECK (not_after > not_before),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX signing_credentials_owner ON signing_credentials (agency_id, user_id);

-- The seal image (con dấu) an agency's visible signature shows; the image itself is in the file store.
CREATE TABLE agency_seals (
  agency_id uuid PRIMARY KEY REFERENCES agencies (id),
  sha256 text NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
  media_type text NOT NULL CHECK (media_type IN ('image/png', 'image/jpeg')),
  width int NOT NULL CHECK (width > 0),
  height int NOT NULL CHECK (height > 0),
  size int NOT NULL CHECK (size > 0),
  updated_by uuid NOT NULL REFERENCES users (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);
