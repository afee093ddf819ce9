-- fukkyu schema 12: documents (issue 7). The organisation's profile that letters and notices
-- are signed with, and the organisation's own versions of the shipped templates (every
-- version kept; a row without a body puts the shipped text back).

CREATE TABLE org_profile (
  field      TEXT PRIMARY KEY,
  value      TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  updated_by TEXT NOT NULL
) STRICT;

CREATE TABLE doc_templates (
  id         INTEGER PRIMARY KEY,
  name       TEXT NOT NULL,
  lang       TEXT NOT NULL CHECK (lang IN ('ja', 'en')),
  version    INTEGER NOT NULL,
  body       TEXT,
  sha256     TEXT,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  UNIQUE (name, lang, version)
) STRICT;

-- What the PPC report and the notice to individuals must say and the incident did not hold
-- yet (規則8条1項 items 2 and 5), and whether the logs' clocks were NTP-synchronised (what
-- JPCERT/CC asks with every log excerpt): NULL while not known.
ALTER TABLE incidents ADD COLUMN pii_items TEXT;
ALTER TABLE incidents ADD COLUMN pii_harm TEXT;
ALTER TABLE incidents ADD COLUMN clocks_ntp INTEGER CHECK (clocks_ntp IN (0, 1));
