-- fukkyu schema 7: the recovery plan (phase 2) with its approval, milestones and restore
-- points (issue 6).

-- One plan per incident. Every change raises version and sends an approved plan back to
-- draft: what was approved stays frozen in plan_approvals.
CREATE TABLE plans (
  incident_id       INTEGER PRIMARY KEY REFERENCES incidents (id) ON DELETE CASCADE,
  version           INTEGER NOT NULL,
  state             TEXT NOT NULL CHECK (state IN ('draft', 'submitted', 'approved')),
  level             TEXT CHECK (level IN ('full', 'partial', 'improved')),
  deadline          TEXT,
  priority          TEXT,
  cost              INTEGER CHECK (cost >= 0),
  staff_days        INTEGER CHECK (staff_days >= 0),
  monitoring_start  TEXT,
  monitoring_end    TEXT,
  exit_criteria     TEXT,               -- when heightened monitoring may end
  compromised_at    TEXT,               -- the earliest compromise: restore points are checked against it
  completion_report TEXT,
  completed_at      TEXT,
  updated_at        TEXT NOT NULL,
  updated_by        TEXT NOT NULL
) STRICT;

CREATE TABLE plan_milestones (
  incident_id INTEGER NOT NULL REFERENCES plans (incident_id) ON DELETE CASCADE,
  pos         INTEGER NOT NULL,
  title       TEXT NOT NULL,
  due_at      TEXT NOT NULL,
  PRIMARY KEY (incident_id, pos)
) STRICT;

-- Each approval with the plan as it was (JSON) and its SHA-256.
CREATE TABLE plan_approvals (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES plans (incident_id) ON DELETE CASCADE,
  version     INTEGER NOT NULL,
  approved_at TEXT NOT NULL,
  approved_by TEXT NOT NULL,
  snapshot    TEXT NOT NULL,
  sha256      TEXT NOT NULL,
  UNIQUE (incident_id, version)
) STRICT;

-- Which backup each system was restored from, its time against the earliest compromise, and
-- how its integrity was checked.
CREATE TABLE restore_points (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  no          INTEGER NOT NULL,
  system      TEXT NOT NULL,
  backup      TEXT NOT NULL,
  backup_time TEXT NOT NULL,
  integrity   TEXT NOT NULL,
  restored_at TEXT NOT NULL,
  recorded_by TEXT NOT NULL,
  UNIQUE (incident_id, no)
) STRICT;
