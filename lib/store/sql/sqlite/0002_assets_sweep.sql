-- 0002: the asset inventory, the company-wide sweep, countermeasures and their rollout.

CREATE TABLE assets (
  id          INTEGER PRIMARY KEY,
  name        TEXT NOT NULL,
  ip          TEXT,
  os          TEXT,
  os_version  TEXT,
  software    TEXT,              -- as imported: "openssl 3.0.2;nginx 1.18" (matched by scan:
                                 -- ~0.3 s per million assets, cheaper than keeping a table of
                                 -- programs up to date on every import)
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
-- Unique names by an index of its own (not a column constraint) so that a bulk import into
-- an empty inventory can build it once at the end.
CREATE UNIQUE INDEX assets_name ON assets (name);
-- No index on os or department: the sweep's criteria scan the inventory (~0.3 s per million
-- assets), and every index would slow every import.
CREATE INDEX assets_backup_of ON assets (backup_of) WHERE backup_of IS NOT NULL;

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
  department  TEXT NOT NULL DEFAULT '', -- the asset's, kept in step by imports: coverage
                                        -- per department without a join over the inventory
  note        TEXT,
  updated_at  TEXT,
  updated_by  TEXT,
  PRIMARY KEY (incident_id, asset_id)
) STRICT;
CREATE INDEX sweep_entries_coverage ON sweep_entries (incident_id, department, state);

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
