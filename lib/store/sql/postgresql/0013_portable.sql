-- fukkyu schema 13 (issue 8): the obligations keep the order they were added in a column of
-- their own (the SQLite schema used its rowid).
ALTER TABLE obligations ADD COLUMN pos BIGINT;
UPDATE obligations o SET pos = n.rn
  FROM (SELECT key, row_number() OVER (ORDER BY ctid) AS rn FROM obligations) AS n
  WHERE n.key = o.key;

-- A record's revision (optimistic concurrency: If-Match on the API) is the last audit entry
-- that changed it.
CREATE INDEX changes_record ON changes (incident_id, entity, entity_key, id);
