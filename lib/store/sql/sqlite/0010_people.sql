-- fukkyu schema 10: the register of affected users and the communications log (phases 5 and
-- 6; issue 6).

-- The people and companies harmed: what data, what damage, their contract, the notice to
-- them, complaints and replies, compensation.
CREATE TABLE affected (
  id            INTEGER PRIMARY KEY,
  incident_id   INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  no            INTEGER NOT NULL,
  kind          TEXT NOT NULL CHECK (kind IN ('person', 'company')),
  name          TEXT NOT NULL,
  contact       TEXT,
  data          TEXT,                 -- the data concerned
  sensitive     INTEGER NOT NULL DEFAULT 0 CHECK (sensitive IN (0, 1)),
  damage        TEXT,                 -- the damage's scope
  damage_amount INTEGER CHECK (damage_amount >= 0),
  contract      TEXT,                 -- contract or SLA
  notice        TEXT NOT NULL DEFAULT 'pending'
                CHECK (notice IN ('pending', 'sent', 'unreachable', 'not-required')),
  notice_channel TEXT,
  notice_at     TEXT,
  offered       INTEGER CHECK (offered >= 0),  -- compensation offered
  paid          INTEGER CHECK (paid >= 0),     -- compensation paid
  updated_at    TEXT NOT NULL,
  updated_by    TEXT NOT NULL,
  UNIQUE (incident_id, no)
) STRICT;

CREATE TABLE affected_contacts (
  id          INTEGER PRIMARY KEY,
  affected_id INTEGER NOT NULL REFERENCES affected (id) ON DELETE CASCADE,
  at          TEXT NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('complaint', 'reply')),
  text        TEXT NOT NULL,
  created_by  TEXT NOT NULL
) STRICT;

-- Every statement to the outside: drafted (versions kept), approved by an approver (the
-- version approved), sent (only the approved version).
CREATE TABLE communications (
  id               INTEGER PRIMARY KEY,
  incident_id      INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  no               INTEGER NOT NULL,
  audience         TEXT NOT NULL CHECK (audience IN ('users', 'media', 'shareholders',
                     'regulator', 'police', 'cert', 'partners', 'employees', 'other')),
  title            TEXT NOT NULL,
  state            TEXT NOT NULL CHECK (state IN ('draft', 'approved', 'sent')),
  version          INTEGER NOT NULL,
  approved_version INTEGER,
  approved_by      TEXT,
  approved_at      TEXT,
  sent_at          TEXT,
  sent_by          TEXT,
  channel          TEXT,
  created_at       TEXT NOT NULL,
  created_by       TEXT NOT NULL,
  UNIQUE (incident_id, no)
) STRICT;
CREATE TABLE communication_versions (
  communication_id INTEGER NOT NULL REFERENCES communications (id) ON DELETE CASCADE,
  version          INTEGER NOT NULL,
  text             TEXT NOT NULL,
  sha256           TEXT NOT NULL,
  created_at       TEXT NOT NULL,
  created_by       TEXT NOT NULL,
  PRIMARY KEY (communication_id, version)
) STRICT;
