-- fukkyu schema 8: the intake point (issue 6; case 1: reports must reach someone for
-- certain, not by chance). Reports from the public page wait here until a responder attaches
-- them to an incident or opens one; their acknowledgement clock runs from the moment they
-- arrive.
CREATE TABLE intake (
  id          INTEGER PRIMARY KEY,
  ref         TEXT NOT NULL UNIQUE,      -- RPT-2026-0001: what the reporter is given
  ref_year    INTEGER NOT NULL,
  ref_seq     INTEGER NOT NULL,
  received_at TEXT NOT NULL,
  name        TEXT,
  contact     TEXT NOT NULL,
  text        TEXT NOT NULL,
  origin      TEXT,                      -- where it came from (the web client's address)
  state       TEXT NOT NULL CHECK (state IN ('new', 'attached', 'dismissed')),
  incident_id INTEGER REFERENCES incidents (id),
  handled_by  TEXT,
  handled_at  TEXT,
  reason      TEXT,                      -- why it was dismissed
  UNIQUE (ref_year, ref_seq)
) STRICT;
CREATE INDEX intake_new ON intake (received_at) WHERE state = 'new';
