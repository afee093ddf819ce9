-- 0003: evidence records: the results of analyses kept with an incident, with the inputs'
-- SHA-256 so that what was analysed can be proven later.
CREATE TABLE evidence (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  kind        TEXT NOT NULL,            -- log-scan
  query       TEXT NOT NULL,            -- JSON: the command's options
  files       TEXT NOT NULL,            -- JSON: [{"name", "size", "sha256"}]
  summary     TEXT NOT NULL,            -- JSON: counts
  result      TEXT NOT NULL,            -- JSON: the groups
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL
) STRICT;
CREATE INDEX evidence_incident ON evidence (incident_id, id);
