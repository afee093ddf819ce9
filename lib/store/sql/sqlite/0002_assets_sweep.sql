-- 0002: the asset inventory, the company-wide sweep, countermeasures and their rollout.

CREATE TABLE assets (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL UNIQUE,
  ip          TEXT,
  os          TEXT,
  os_version  TEXT,
  software    TEXT,              -- as imported: "openssl 3.0.2;nginx 1.18"
  department  TEXT,
  owner       TEXT,
  role        TEXT NOT NULL DEFAULT 'other',
  criticality TEXT,
  location    TEXT,
  spare       INTEGER NOT NULL DEFAULT 0,
  backup_of   TEXT,
  tags        TEXT,              -- "dmz;pci"
  updated_at  TEXT NOT NULL
) STRICT;
CREATE INDEX assets_os ON assets (os, os_version);
CREATE INDEX assets_department ON assets (department);
CREATE INDEX assets_backup_of ON assets (backup_of) WHERE backup_of IS NOT NULL;

-- One row per program an asset runs, for similar-system search.
CREATE TABLE asset_software (
  asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  name     TEXT NOT NULL,
  version  TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX asset_software_name ON asset_software (name, version);
CREATE INDEX asset_software_asset ON asset_software (asset_id);

CREATE TABLE asset_tags (
  asset_id INTEGER NOT NULL REFERENCES assets (id) ON DELETE CASCADE,
  tag      TEXT NOT NULL
) STRICT;
CREATE INDEX asset_tags_tag ON asset_tags (tag);
CREATE INDEX asset_tags_asset ON asset_tags (asset_id);

-- The systems an incident hit.
CREATE TABLE incident_assets (
  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  asset_id    INTEGER NOT NULL REFERENCES assets (id),
  PRIMARY KEY (incident_id, asset_id)
) STRICT;

-- The sweep of an incident: its criteria and the instructions sent to departments.
CREATE TABLE sweeps (
  incident_id    INTEGER PRIMARY KEY REFERENCES incidents (id) ON DELETE CASCADE,
  criteria       TEXT NOT NULL,     -- "os_version,software:openssl@3.0.2"
  procedure      TEXT,
  countermeasure TEXT,
  reconnect      TEXT,
  deadline       TEXT,
  reply_to       TEXT,
  started_at     TEXT NOT NULL,
  started_by     TEXT NOT NULL
) STRICT;

CREATE TABLE sweep_entries (
  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  asset_id    INTEGER NOT NULL REFERENCES assets (id),
  state       TEXT NOT NULL DEFAULT 'unchecked',
  reasons     TEXT NOT NULL,        -- the criteria that matched, comma-separated
  note        TEXT,
  updated_at  TEXT,
  updated_by  TEXT,
  PRIMARY KEY (incident_id, asset_id)
) STRICT;
CREATE INDEX sweep_entries_state ON sweep_entries (incident_id, state);

-- Countermeasures (recurrence prevention), numbered M1, M2 ... per incident.
CREATE TABLE measures (
  id           INTEGER PRIMARY KEY,
  incident_id  INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  no           INTEGER NOT NULL,
  kind         TEXT NOT NULL,
  title        TEXT NOT NULL,
  target_level TEXT,
  cost         INTEGER,
  owner        TEXT,
  due_at       TEXT,
  approved_by  TEXT,
  approved_at  TEXT,
  created_at   TEXT NOT NULL,
  created_by   TEXT NOT NULL,
  UNIQUE (incident_id, no)
) STRICT;

CREATE TABLE rollout_entries (
  measure_id  INTEGER NOT NULL REFERENCES measures (id) ON DELETE CASCADE,
  asset_id    INTEGER NOT NULL REFERENCES assets (id),
  scope       TEXT NOT NULL,        -- affected, similar, spare, all
  state       TEXT NOT NULL DEFAULT 'pending',
  reason      TEXT,                 -- for exceptions
  accepted_by TEXT,                 -- who accepted the risk of an exception
  updated_at  TEXT,
  updated_by  TEXT,
  PRIMARY KEY (measure_id, asset_id)
) STRICT;
CREATE INDEX rollout_entries_state ON rollout_entries (measure_id, state);
