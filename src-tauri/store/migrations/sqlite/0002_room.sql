-- Version 2: room for the rest of the policy.
-- * Delay applications (附表1) get their sign-offs as rows (three levels in order, each with who
--   signed, who recorded it, the opinion, its text and the day written on the paper), the day
--   they took effect, and a version for the change engine. The per-level columns of version 1
--   were never written by any version of Genjin and go.
-- * People get a version and updated_at, so their edits go through the change engine too.
-- * The working-day calendar's exceptions: holidays and make-up workdays (调休).

ALTER TABLE delay_applications DROP COLUMN direct_leader_opinion;
ALTER TABLE delay_applications DROP COLUMN direct_leader_date;
ALTER TABLE delay_applications DROP COLUMN dept_leader_opinion;
ALTER TABLE delay_applications DROP COLUMN dept_leader_date;
ALTER TABLE delay_applications DROP COLUMN gm_office_opinion;
ALTER TABLE delay_applications DROP COLUMN gm_office_date;
-- approved_at stays: when the approval was recorded. A rejection is a day, like an approval.
ALTER TABLE delay_applications DROP COLUMN rejected_at;
ALTER TABLE delay_applications ADD COLUMN applicant_id INTEGER REFERENCES people(id);
-- The day the last level agreed (the new date is in force from then) or one disagreed.
ALTER TABLE delay_applications ADD COLUMN approved_on TEXT;
ALTER TABLE delay_applications ADD COLUMN rejected_on TEXT;
ALTER TABLE delay_applications ADD COLUMN withdrawn_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE delay_applications ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
ALTER TABLE delay_applications ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
-- Delays read from a legacy register's 备注 were approved before they were written there: the
-- file states no other day than the one they were filed on.
UPDATE delay_applications SET approved_on = filed_date WHERE approved_at IS NOT NULL;
UPDATE delay_applications SET updated_at = created_at;

CREATE TABLE delay_signoffs (
    id           INTEGER PRIMARY KEY,
    delay_id     INTEGER NOT NULL REFERENCES delay_applications(id),
    level        TEXT NOT NULL CHECK (level = 'direct' OR level = 'department' OR level = 'gm_office'),
    signer       TEXT NOT NULL,                    -- who signed the paper
    signer_id    INTEGER REFERENCES people(id),
    opinion      TEXT NOT NULL CHECK (opinion = 'agree' OR opinion = 'disagree'),
    comment      TEXT NOT NULL DEFAULT '',         -- what the leader wrote
    signed_on    TEXT NOT NULL,                    -- the day written beside the signature
    recorded_by  TEXT NOT NULL DEFAULT '',         -- who typed it in (often the collector)
    recorded_by_id INTEGER REFERENCES people(id),
    recorded_at  TEXT NOT NULL,
    UNIQUE (delay_id, level)
) STRICT;
CREATE INDEX delay_signoffs_delay ON delay_signoffs (delay_id);

ALTER TABLE people ADD COLUMN updated_at TEXT NOT NULL DEFAULT '';
ALTER TABLE people ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
UPDATE people SET updated_at = created_at;

CREATE TABLE calendar_days (
    day   TEXT PRIMARY KEY,                        -- YYYY-MM-DD
    kind  TEXT NOT NULL CHECK (kind = 'holiday' OR kind = 'workday'),
    name  TEXT NOT NULL DEFAULT ''                 -- 国庆节, 国庆调休 ...
) STRICT;
