-- fukkyu schema 13 (issue 8): what the PostgreSQL backend needs the same on both: the
-- obligations keep the order they were added in a column of their own (SQLite's rowid has no
-- counterpart elsewhere).
ALTER TABLE obligations ADD COLUMN pos INTEGER;
UPDATE obligations SET pos = rowid;
