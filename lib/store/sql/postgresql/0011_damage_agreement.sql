-- fukkyu schema 11: who agreed to a cost split, and when (cases 2 and 3: operator and
-- contractor argued for two weeks over who pays).
ALTER TABLE damage_entries ADD COLUMN agreed_by TEXT;
ALTER TABLE damage_entries ADD COLUMN agreed_at TEXT;
