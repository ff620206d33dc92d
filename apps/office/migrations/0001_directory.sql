-- The directory: levels, agencies, departments, users and the roles they hold.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- Levels are data: since 2025 Vietnam has no district level, and a ministry's
-- installation may use other levels altogether.
CREATE TABLE agency_levels (
  code text PRIMARY KEY CHECK (code ~ '^[a-z][a-z_]{0,31}$'),
  name_vi text NOT NULL,
  name_en text NOT NULL,
  rank int NOT NULL UNIQUE
);
INSERT INTO agency_levels (code, name_vi, name_en, rank) VALUES
  ('central', 'Trung ương', 'Central', 0),
  ('province', 'Tỉnh', 'Province', 1),
  ('district', 'Huyện', 'District', 2),
  ('commune', 'Xã', 'Commune', 3);

CREATE TABLE agencies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code text NOT NULL,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  short_name text NOT NULL CHECK (length(short_name) BETWEEN 1 AND 100),
  level text NOT NULL REFERENCES agency_levels (code),
  parent_id uuid REFERENCES agencies (id),
  -- '/<root id>/.../<own id>/': ancestors without a recursive query, descendants by prefix.
  path text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX agencies_code ON agencies (code);
CREATE INDEX agencies_parent ON agencies (parent_id, name, id);
CREATE INDEX agencies_roots ON agencies (name, id) WHERE parent_id IS NULL;
CREATE INDEX agencies_path ON agencies (path text_pattern_ops);
CREATE INDEX agencies_search ON agencies USING gin ((lower(code || ' ' || name || ' ' || short_name)) gin_trgm_ops);

CREATE TABLE departments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  agency_id uuid NOT NULL REFERENCES agencies (id),
  code text NOT NULL CHECK (code ~ '^[A-Za-z0-9_.-]{1,30}$'),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 300),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX departments_code ON departments (agency_id, lower(code));
CREATE UNIQUE INDEX departments_name ON departments (agency_id, lower(name));

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username text NOT NULL CHECK (username ~ '^[a-z0-9][a-z0-9._-]{1,63}$'),
  full_name text NOT NULL CHECK (length(full_name) BETWEEN 1 AND 200),
  email text,
  password_hash text NOT NULL,
  totp_secret text,
  totp_enabled boolean NOT NULL DEFAULT false,
  failed_logins int NOT NULL DEFAULT 0,
  locked_until timestamptz,
  active boolean NOT NULL DEFAULT true,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_username ON users (username);

-- One row per (user, agency): a user may work in several agencies, with several roles in each.
CREATE TABLE memberships (
  user_id uuid NOT NULL REFERENCES users (id),
  agency_id uuid NOT NULL REFERENCES agencies (id),
  department_id uuid REFERENCES departments (id),
  roles text[] NOT NULL CHECK (cardinality(roles) > 0 AND roles <@ ARRAY['clerk', 'officer', 'department_leader', 'agency_leader', 'administrator']),
  position text,
  PRIMARY KEY (user_id, agency_id)
);
CREATE INDEX memberships_agency ON memberships (agency_id, user_id);

CREATE TABLE sessions (
  -- SHA-256 of the cookie's token: a leaked table does not leak usable sessions.
  id text PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  agency_id uuid NOT NULL REFERENCES agencies (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
