-- 0001: incidents, their playbook tasks, handover, roles, timeline, change history.
-- Times are ISO 8601 UTC text ("2026-07-05T22:20:00Z"): they sort as they compare.

CREATE TABLE incidents (
  id            INTEGER PRIMARY KEY,
  ref           TEXT NOT NULL UNIQUE,
  ref_year      INTEGER NOT NULL,
  ref_seq       INTEGER NOT NULL,
  title         TEXT NOT NULL,
  kind          TEXT NOT NULL,
  severity      TEXT NOT NULL,
  state         TEXT NOT NULL,
  discovered_at TEXT NOT NULL,
  contained_at  TEXT,
  description   TEXT NOT NULL DEFAULT '',
  pii           INTEGER NOT NULL DEFAULT 0,
  pii_count     INTEGER,
  pii_sensitive INTEGER NOT NULL DEFAULT 0,
  playbook      TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  created_by    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  UNIQUE (ref_year, ref_seq)
) STRICT;
CREATE INDEX incidents_state ON incidents (state);

CREATE TABLE phases (
  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  no          INTEGER NOT NULL,
  key         TEXT NOT NULL,
  title_ja    TEXT NOT NULL,
  title_en    TEXT NOT NULL,
  -- Counters kept by the store with every task write, so that a board over thousands of
  -- incidents reads six rows per incident instead of every task.
  finished    INTEGER NOT NULL DEFAULT 0,
  total       INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (incident_id, no)
) STRICT;

CREATE TABLE tasks (
  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  item_id     TEXT NOT NULL,
  phase       INTEGER NOT NULL,
  seq         INTEGER NOT NULL,
  group_key   TEXT NOT NULL,
  group_ja    TEXT NOT NULL,
  group_en    TEXT NOT NULL,
  title_ja    TEXT NOT NULL,
  title_en    TEXT NOT NULL,
  why_ja      TEXT,
  why_en      TEXT,
  approval    INTEGER NOT NULL DEFAULT 0,
  state       TEXT NOT NULL DEFAULT 'todo',
  na_reason   TEXT,
  owner       TEXT,
  due_at      TEXT,
  note        TEXT,
  updated_at  TEXT,
  updated_by  TEXT,
  PRIMARY KEY (incident_id, item_id)
) STRICT;
-- Open tasks with a due date: the only ones that can be overdue.
CREATE INDEX tasks_due ON tasks (incident_id, phase, due_at) WHERE due_at IS NOT NULL AND state IN ('todo', 'doing');

CREATE TABLE handover (
  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  field       TEXT NOT NULL,
  value       TEXT NOT NULL,
  updated_at  TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  PRIMARY KEY (incident_id, field)
) STRICT;

CREATE TABLE roles (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  role        TEXT NOT NULL,
  name        TEXT NOT NULL,
  org         TEXT,
  email       TEXT,
  phone       TEXT,
  UNIQUE (incident_id, role, name)
) STRICT;

CREATE TABLE timeline (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  at          TEXT NOT NULL,
  text        TEXT NOT NULL,
  source      TEXT,
  recorded_by TEXT NOT NULL,
  recorded_at TEXT NOT NULL
) STRICT;
CREATE INDEX timeline_at ON timeline (incident_id, at);

-- Field-level history of every write (who, when, old -> new): the base of the audit trail.
CREATE TABLE changes (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER REFERENCES incidents (id),
  at          TEXT NOT NULL,
  actor       TEXT NOT NULL,
  entity      TEXT NOT NULL,
  entity_key  TEXT,
  field       TEXT NOT NULL,
  old_value   TEXT,
  new_value   TEXT
) STRICT;
CREATE INDEX changes_incident ON changes (incident_id, id);
