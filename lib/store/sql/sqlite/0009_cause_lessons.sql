-- fukkyu schema 9: root cause, interviews and lessons learned (phases 3 and 4), and the
-- declaration that ends recovery (issue 6).

CREATE TABLE root_causes (
  incident_id  INTEGER PRIMARY KEY REFERENCES incidents (id) ON DELETE CASCADE,
  origin       TEXT CHECK (origin IN ('inside', 'outside', 'unknown')),
  route        TEXT,   -- the infection or intrusion route
  cves         TEXT,   -- product vulnerabilities: CVE ids, comma-separated
  misconfig    TEXT,   -- misconfigurations
  direct_cause TEXT,
  root_cause   TEXT,
  factors      TEXT,   -- contributing factors
  laws         TEXT,   -- applicable laws, comma-separated keys or names
  evidence     TEXT,   -- linked evidence: E ids, comma-separated
  updated_at   TEXT NOT NULL,
  updated_by   TEXT NOT NULL
) STRICT;

-- Interviews are sensitive (the source warns about the interviewees' rights): the server
-- shows them only to the incident's members who work on it (and administrators).
CREATE TABLE interviews (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  no          INTEGER NOT NULL,
  interviewee TEXT NOT NULL,
  held_at     TEXT NOT NULL,
  interviewer TEXT NOT NULL,
  summary     TEXT NOT NULL,
  evidence    TEXT,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  UNIQUE (incident_id, no)
) STRICT;

CREATE TABLE lessons (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  no          INTEGER NOT NULL,
  kind        TEXT NOT NULL CHECK (kind IN ('lesson', 'training', 'drill', 'audit')),
  lesson      TEXT NOT NULL,
  action      TEXT NOT NULL,
  owner       TEXT,
  due_at      TEXT,
  verify      TEXT NOT NULL,        -- how it will be verified
  changes     TEXT,                 -- the plan, procedure or playbook it changes
  state       TEXT NOT NULL CHECK (state IN ('open', 'implemented', 'verified', 'accepted-risk')),
  accepted_by TEXT,
  updated_at  TEXT NOT NULL,
  updated_by  TEXT NOT NULL,
  UNIQUE (incident_id, no)
) STRICT;

-- The end of recovery, signed by the recovery owner, with the criteria as they stood.
CREATE TABLE recovery_ends (
  incident_id INTEGER PRIMARY KEY REFERENCES incidents (id) ON DELETE CASCADE,
  declared_at TEXT NOT NULL,
  declared_by TEXT NOT NULL,
  criteria    TEXT NOT NULL          -- JSON: each criterion and whether it held
) STRICT;
