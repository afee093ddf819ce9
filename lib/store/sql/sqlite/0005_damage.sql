-- fukkyu schema 5: the damage and cost ledger (issue 6), and timeline marks for outages.

-- A timeline entry may mark when a service stopped or was restored: the outage the damage
-- ledger's calculator reads.
ALTER TABLE timeline ADD COLUMN mark TEXT CHECK (mark IN ('service-stopped', 'service-restored'));

CREATE TABLE damage_entries (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  no          INTEGER NOT NULL,          -- D1, D2 ... within the incident
  category    TEXT NOT NULL CHECK (category IN ('money', 'equipment', 'injury',
                'opportunity-loss', 'reputation', 'disruption', 'response', 'restoration',
                'compensation', 'prevention')),
  amount      INTEGER NOT NULL CHECK (amount >= 0),  -- whole units of the currency
  currency    TEXT NOT NULL CHECK (length(currency) = 3),
  description TEXT,
  basis       TEXT,                      -- how the amount was computed
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  UNIQUE (incident_id, no)
) STRICT;

-- How an entry's cost is split between parties (operator, contractor ...): whole percents
-- adding up to 100, checked by the program before the rows are written.
CREATE TABLE damage_splits (
  entry_id INTEGER NOT NULL REFERENCES damage_entries (id) ON DELETE CASCADE,
  pos      INTEGER NOT NULL,
  party    TEXT NOT NULL,
  pct      INTEGER NOT NULL CHECK (pct BETWEEN 1 AND 100),
  PRIMARY KEY (entry_id, pos),
  UNIQUE (entry_id, party)
) STRICT;
