-- fukkyu schema 13 (issue 8): what the PostgreSQL backend needs to be the same on both. The
-- obligations keep the order they were added in a column of their own (SQLite's rowid has no
-- counterpart elsewhere).
ALTER TABLE obligations ADD COLUMN pos INTEGER;
UPDATE obligations SET pos = rowid;

-- A record's revision (optimistic concurrency: If-Match on the API) is the last audit entry
-- that changed it.
CREATE INDEX changes_record ON changes (incident_id, entity, entity_key, id);
