-- Issue 5: users, API tokens, sessions, need-to-know membership, and the audit chain.

-- Every change is an audit entry: where it came from, and a SHA-256 chain (each entry's hash
-- covers its content and the previous entry's hash). Rows written before this migration
-- are sealed into the chain by the binary when it applies the migration.
ALTER TABLE changes ADD COLUMN origin TEXT NOT NULL DEFAULT 'cli';
ALTER TABLE changes ADD COLUMN prev_hash TEXT;
ALTER TABLE changes ADD COLUMN hash TEXT;

CREATE TABLE users (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL UNIQUE,
  display_name  TEXT,
  role          TEXT NOT NULL,      -- admin, owner, responder, approver, viewer
  password_hash TEXT,               -- argon2id (libsodium's crypto_pwhash_str), NULL: none
  disabled      INTEGER NOT NULL DEFAULT 0,
  created_at    TEXT NOT NULL
) STRICT;

CREATE TABLE api_tokens (
  id         INTEGER PRIMARY KEY,
  user_id    INTEGER NOT NULL REFERENCES users (id),
  token_hash TEXT NOT NULL UNIQUE,  -- SHA-256 of the token: the token itself is never kept
  label      TEXT,
  created_at TEXT NOT NULL,
  revoked_at TEXT
) STRICT;

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,      -- SHA-256 of the cookie's value
  user_id    INTEGER NOT NULL REFERENCES users (id),
  csrf       TEXT NOT NULL,
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL
) STRICT;

-- Need-to-know: a restricted incident is visible to its members (and admins) only.
ALTER TABLE incidents ADD COLUMN restricted INTEGER NOT NULL DEFAULT 0;
CREATE INDEX incidents_restricted ON incidents (id) WHERE restricted = 1;
CREATE TABLE incident_members (
  incident_id INTEGER NOT NULL REFERENCES incidents (id),
  user_id     INTEGER NOT NULL REFERENCES users (id),
  PRIMARY KEY (incident_id, user_id)
) STRICT;

-- Approval items still open, across incidents (the approvals page).
CREATE INDEX tasks_open_approval ON tasks (incident_id) WHERE approval = 1 AND state IN ('todo', 'doing');
