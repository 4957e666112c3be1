-- Version 15 (issue 24: offline laptops). What is recorded on one database to be applied on
-- another, and the databases that exchange it.
--
-- `submissions`: a 需求报告表 or a bug report waiting to be registered (the collector's 待登记:
-- reported at a desk, or arrived from a laptop), and on a laptop everything recorded there
-- that waits to be sent (待同步: reports, bugs, notices). `origin` is the database it was
-- recorded in ('' for this one) and `origin_id` its id there: UNIQUE, so a step arrives at
-- most once however often a sync is repeated.
CREATE TABLE submissions (
    id          INTEGER PRIMARY KEY,
    origin      TEXT NOT NULL DEFAULT '',
    origin_id   INTEGER NOT NULL,
    kind        TEXT NOT NULL CHECK (kind = 'requirement' OR kind = 'bug' OR kind = 'notice'),
    person      TEXT NOT NULL,            -- who recorded it (a listed person's name)
    target      TEXT NOT NULL DEFAULT '', -- a notice: the 需求编号 or Bug number it is about
    summary     TEXT NOT NULL DEFAULT '', -- the line lists show (需求梗概, bug content, notice)
    fields      TEXT NOT NULL,            -- the form as filled, JSON
    happened_at TEXT NOT NULL,            -- when it happened (a notice: when it was sent)
    recorded_at TEXT NOT NULL,            -- when it was recorded where it was recorded
    sent_at     TEXT,                     -- a laptop: when it last went out
    arrived_at  TEXT,                     -- when it reached the database that applies it
    state       TEXT NOT NULL DEFAULT 'waiting',  -- waiting | registered | applied | refused | discarded
    number      TEXT NOT NULL DEFAULT '', -- the 需求编号 or Bug number it was registered as
    reason      TEXT NOT NULL DEFAULT '', -- why it was refused
    settled_at  TEXT,
    settled_by  TEXT NOT NULL DEFAULT '',
    UNIQUE (origin, origin_id)
) STRICT;
CREATE INDEX submissions_state ON submissions (state, id);

-- The databases this one exchanges steps with: on a department's database each laptop copy
-- made from it (`laptop`), on a laptop the database it was copied from (`upstream`). `secret`
-- signs the files between the two (HMAC-SHA256), so a damaged or altered file is refused.
CREATE TABLE sync_peers (
    id         INTEGER PRIMARY KEY,
    role       TEXT NOT NULL CHECK (role = 'laptop' OR role = 'upstream'),
    peer       TEXT NOT NULL UNIQUE,      -- the other database's id (settings `database.id`)
    person     TEXT NOT NULL,             -- whose laptop
    secret     TEXT NOT NULL,
    made_at    TEXT NOT NULL,
    location   TEXT NOT NULL DEFAULT '',  -- upstream: where it was (file path or server)
    replies    INTEGER NOT NULL DEFAULT 0, -- replies made (laptop) or the last applied (upstream)
    last_sync  TEXT
) STRICT;
