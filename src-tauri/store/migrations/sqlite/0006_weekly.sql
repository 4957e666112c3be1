-- Version 6: the 新增需求收集周报 sent each Friday (issue 11, SPEC §9): when it was sent and who
-- recorded it. The R2 deadline (issue 12) reads it.
CREATE TABLE weekly_reports (
    id             INTEGER PRIMARY KEY,
    friday         TEXT NOT NULL UNIQUE,      -- YYYY-MM-DD, the week's Friday
    sent_at        TEXT NOT NULL,             -- RFC 3339: when it was sent
    recorded_by    TEXT NOT NULL DEFAULT '',
    recorded_by_id INTEGER REFERENCES people(id),
    recorded_at    TEXT NOT NULL,
    origin         TEXT NOT NULL DEFAULT 'app'
) STRICT;
