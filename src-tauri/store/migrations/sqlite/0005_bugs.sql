-- Version 5: what the BUG反馈流程 records beyond version 1 (issue 10, SPEC §3, §5 "Bug"): the app
-- version, the clinic department, the channel the user came through, the reproduction note, the
-- tracker's link, that the reporter was copied, the fixed version, and the requirement a bug
-- became (转需求), linked both ways.
ALTER TABLE bugs ADD COLUMN app_version TEXT NOT NULL DEFAULT '';
ALTER TABLE bugs ADD COLUMN clinic_department TEXT NOT NULL DEFAULT '';
ALTER TABLE bugs ADD COLUMN channel TEXT NOT NULL DEFAULT '';
ALTER TABLE bugs ADD COLUMN reproduce_note TEXT NOT NULL DEFAULT '';
ALTER TABLE bugs ADD COLUMN tracker_url TEXT NOT NULL DEFAULT '';
ALTER TABLE bugs ADD COLUMN reporter_copied INTEGER NOT NULL DEFAULT 0 CHECK (reporter_copied BETWEEN 0 AND 1);
ALTER TABLE bugs ADD COLUMN fixed_version TEXT NOT NULL DEFAULT '';
ALTER TABLE bugs ADD COLUMN requirement_id INTEGER REFERENCES requirements(id);
ALTER TABLE bugs ADD COLUMN converted_at TEXT;
ALTER TABLE requirements ADD COLUMN from_bug_id INTEGER REFERENCES bugs(id);
CREATE INDEX bugs_received ON bugs (received_date);

INSERT INTO list_items (list, value, sort) VALUES
    ('channel', '客服热线', 1),
    ('channel', '在线客服', 2),
    ('channel', '邮件', 3),
    ('channel', '问卷', 4),
    ('channel', '内部', 5),
    ('channel', '合作伙伴', 6);
