-- fukkyu schema 6: legal and promised clocks (issue 6): the personal-data facts that trigger
-- them, the obligations as data, each incident's decisions on them, and the reporter.

-- Personal-data facts (NULL: not known yet) and the dates the recovery plan promises.
ALTER TABLE incidents ADD COLUMN pii_financial INTEGER CHECK (pii_financial IN (0, 1));
ALTER TABLE incidents ADD COLUMN pii_unlawful INTEGER CHECK (pii_unlawful IN (0, 1));
ALTER TABLE incidents ADD COLUMN pii_eu INTEGER CHECK (pii_eu IN (0, 1));
ALTER TABLE incidents ADD COLUMN recovery_deadline TEXT;
ALTER TABLE incidents ADD COLUMN monitoring_end TEXT;

-- What must be done by when: shipped rows (builtin = 1) and an organisation's own.
--   trigger: when the obligation applies (appi: APPI rule 7 cases; gdpr: EU data subjects;
--            reporter: someone reported it; recovery-deadline / monitoring-end: the plan's
--            dates; always)
--   rule:    hours:N | days:N | days:N/unlawful:M | window:A-B (days) | promptly:N (days, a
--            guide) | business-days:N (Japanese holidays excluded) | at (the date itself)
CREATE TABLE obligations (
  key        TEXT PRIMARY KEY CHECK (key GLOB '[a-z0-9]*' AND length(key) <= 40),
  title_ja   TEXT NOT NULL,
  title_en   TEXT NOT NULL,
  trigger    TEXT NOT NULL CHECK (trigger IN ('appi', 'gdpr', 'reporter', 'recovery-deadline',
                                               'monitoring-end', 'always')),
  rule       TEXT NOT NULL,
  owner_role TEXT,
  source     TEXT,
  builtin    INTEGER NOT NULL DEFAULT 0
) STRICT;

INSERT INTO obligations (key, title_ja, title_en, trigger, rule, owner_role, source, builtin) VALUES
 ('appi-ppc-preliminary', '個人情報保護委員会への速報', 'APPI preliminary report to the PPC',
  'appi', 'window:3-5', 'external-response-owner',
  '個人情報保護法26条1項, 施行規則7条・8条 (速報: 速やかに。ガイドライン上おおむね3〜5日)', 1),
 ('appi-ppc-final', '個人情報保護委員会への確報', 'APPI final report to the PPC',
  'appi', 'days:30/unlawful:60', 'external-response-owner',
  '個人情報保護法26条1項, 施行規則8条2項 (30日以内。不正の目的によるおそれは60日以内)', 1),
 ('appi-notify-individuals', '本人への通知', 'APPI notice to the individuals',
  'appi', 'promptly:5', 'user-response-owner',
  '個人情報保護法26条2項, 施行規則10条 (当該事態の状況に応じて速やかに。期日は目安)', 1),
 ('gdpr-art33', '監督機関への通知 (GDPR 33条)', 'GDPR Art. 33 notification to the supervisory authority',
  'gdpr', 'hours:72', 'external-response-owner',
  'GDPR Art. 33(1): without undue delay and, where feasible, not later than 72 hours', 1),
 ('gdpr-art34', 'データ主体への連絡 (GDPR 34条)', 'GDPR Art. 34 communication to the data subjects',
  'gdpr', 'promptly:3', 'user-response-owner',
  'GDPR Art. 34(1): without undue delay when the risk is high (the due date is a guide)', 1),
 ('reporter-ack', '通報者への受領連絡', 'Acknowledge the reporter',
  'reporter', 'business-days:1', 'contact-window',
  'fukkyu: the source document''s case 2 (a reporter unanswered for four weeks went public)', 1),
 ('recovery-deadline', '復旧期限', 'Recovery deadline',
  'recovery-deadline', 'at', 'recovery-owner', 'the approved recovery plan', 1),
 ('monitoring-end', '監視強化期間の終了', 'End of heightened monitoring',
  'monitoring-end', 'at', 'recovery-owner', 'the approved recovery plan', 1);

-- An incident's decision on an obligation: submitted (with a frozen copy of what was sent) or
-- not required (with the reason and who decided). Absent: open.
CREATE TABLE deadline_states (
  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  key         TEXT NOT NULL REFERENCES obligations (key),
  state       TEXT NOT NULL CHECK (state IN ('submitted', 'not-required')),
  at          TEXT NOT NULL,
  decided_by  TEXT NOT NULL,
  reason      TEXT,
  copy        TEXT,                      -- what was sent, frozen
  copy_sha256 TEXT,
  PRIMARY KEY (incident_id, key)
) STRICT;

-- Who reported the incident from outside (通報者), and every contact with them.
CREATE TABLE reporters (
  id          INTEGER PRIMARY KEY,
  incident_id INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  no          INTEGER NOT NULL,
  name        TEXT NOT NULL,
  contact     TEXT,
  channel     TEXT NOT NULL CHECK (channel IN ('email', 'web', 'phone', 'other')),
  at          TEXT NOT NULL,            -- when the report came in: the reporter-ack clock
  note        TEXT,
  created_at  TEXT NOT NULL,
  created_by  TEXT NOT NULL,
  UNIQUE (incident_id, no)
) STRICT;
CREATE TABLE reporter_contacts (
  id          INTEGER PRIMARY KEY,
  reporter_id INTEGER NOT NULL REFERENCES reporters (id) ON DELETE CASCADE,
  at          TEXT NOT NULL,
  direction   TEXT NOT NULL CHECK (direction IN ('in', 'out')),
  channel     TEXT NOT NULL CHECK (channel IN ('email', 'web', 'phone', 'other')),
  summary     TEXT NOT NULL,
  created_by  TEXT NOT NULL
) STRICT;
CREATE INDEX reporter_contacts_reporter ON reporter_contacts (reporter_id, at);
