-- Genjin schema, version 1. Forward-only: later changes come as new migrations.
-- Conventions: days are ISO text 'YYYY-MM-DD'; moments are RFC 3339 text with offset;
-- closed lists are stored as English codes (see src-tauri/domain); nothing is hard-deleted.
-- Checks compare with = / BETWEEN, never IN (...): SQLite evaluates an IN list in a CHECK by
-- building a temporary B-tree on every INSERT, which made bulk imports twice as slow.

CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) STRICT;

CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    department  TEXT NOT NULL DEFAULT '',
    roles       TEXT NOT NULL DEFAULT '',          -- comma-separated role codes
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active BETWEEN 0 AND 1),
    created_at  TEXT NOT NULL,
    UNIQUE (name, department)
) STRICT;

-- Editable classification lists (sources, channels, bug types, severities, departments ...).
CREATE TABLE list_items (
    list   TEXT NOT NULL,
    value  TEXT NOT NULL,
    sort   INTEGER NOT NULL DEFAULT 0,
    active INTEGER NOT NULL DEFAULT 1 CHECK (active BETWEEN 0 AND 1),
    PRIMARY KEY (list, value)
) STRICT;

-- The highest sequence ever handed out per scheme and period. Only grows: numbers are never reused.
CREATE TABLE number_counters (
    series   TEXT NOT NULL,                       -- 'requirement' | 'bug'
    period   TEXT NOT NULL,                       -- '140619' (daily) or '201406' (monthly)
    last_seq INTEGER NOT NULL CHECK (last_seq >= 0),
    PRIMARY KEY (series, period)
) STRICT;

CREATE TABLE requirements (
    id                    INTEGER PRIMARY KEY,
    number                TEXT NOT NULL UNIQUE,
    kind                  TEXT NOT NULL DEFAULT 'new' CHECK (kind = 'new' OR kind = 'improvement'),
    source                TEXT NOT NULL DEFAULT '',
    reporter              TEXT NOT NULL DEFAULT '',   -- 填表人 / 需求报告人
    reporter_department   TEXT NOT NULL DEFAULT '',
    reporter_id           INTEGER REFERENCES people(id),
    report_date           TEXT,                       -- 填报日期
    received_date         TEXT NOT NULL,              -- the collector received it; drives the number
    requester             TEXT NOT NULL DEFAULT '',   -- 需求人
    doctor_name           TEXT NOT NULL DEFAULT '',
    hospital              TEXT NOT NULL DEFAULT '',
    clinic_department     TEXT NOT NULL DEFAULT '',   -- 科室
    app_account           TEXT NOT NULL DEFAULT '',   -- 医享账号
    doctor_words          TEXT NOT NULL DEFAULT '',   -- 医生原话, verbatim
    overview              TEXT NOT NULL DEFAULT '',   -- 概述
    brief                 TEXT NOT NULL DEFAULT '',   -- 需求梗概, at most 50 characters
    new_intensity         TEXT NOT NULL DEFAULT '',   -- 同科室医生对这个需求强烈吗
    new_simplifies        TEXT NOT NULL DEFAULT '',   -- 能帮助用户简化哪些工作
    new_similar           TEXT NOT NULL DEFAULT '',   -- 类似功能 / 软件名
    imp_phone_model       TEXT NOT NULL DEFAULT '',
    imp_os_version        TEXT NOT NULL DEFAULT '',
    imp_annoyance         TEXT NOT NULL DEFAULT '',   -- 旧版本最让人烦的地方
    imp_steps             TEXT NOT NULL DEFAULT '',   -- 用户操作的过程
    decision              TEXT CHECK (decision = 'do' OR decision = 'do_not' OR decision = 'discuss' OR decision = 'convert'),
    grade                 TEXT CHECK (grade = 'A' OR grade = 'B' OR grade = 'C' OR grade = 'D'),
    decision_date         TEXT,
    conversion_summary    TEXT NOT NULL DEFAULT '',
    plan_doc_number       TEXT NOT NULL DEFAULT '',
    plan_estimated_date   TEXT,
    plan_actual_date      TEXT,
    it_acceptance_estimated TEXT,
    it_acceptance_actual  TEXT,
    expected_delivery     TEXT,                       -- 预期交付日 as first promised
    actual_delivery       TEXT,                       -- 实际交付日
    remark                TEXT NOT NULL DEFAULT '',   -- 备注 (free text)
    withdrawn_at          TEXT,
    withdrawn_reason      TEXT NOT NULL DEFAULT '',
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    version               INTEGER NOT NULL DEFAULT 1,
    CHECK (grade IS NULL OR decision = 'do' OR decision = 'convert')
) STRICT;
CREATE INDEX requirements_received ON requirements (received_date);
CREATE INDEX requirements_reporter ON requirements (reporter);
CREATE INDEX requirements_decision ON requirements (decision, grade);

-- 附表1 需求延期交付申请. Approved when the decision group has signed; its new date is then in force.
CREATE TABLE delay_applications (
    id                    INTEGER PRIMARY KEY,
    requirement_id        INTEGER NOT NULL REFERENCES requirements(id),
    applicant             TEXT NOT NULL DEFAULT '',
    applicant_department  TEXT NOT NULL DEFAULT '',
    filed_date            TEXT NOT NULL,
    original_date         TEXT,
    new_date              TEXT NOT NULL,
    overview              TEXT NOT NULL DEFAULT '',
    reason                TEXT NOT NULL DEFAULT '',
    direct_leader_opinion TEXT NOT NULL DEFAULT '',
    direct_leader_date    TEXT,
    dept_leader_opinion   TEXT NOT NULL DEFAULT '',
    dept_leader_date      TEXT,
    gm_office_opinion     TEXT NOT NULL DEFAULT '',
    gm_office_date        TEXT,
    approved_at           TEXT,
    rejected_at           TEXT,
    withdrawn_at          TEXT,
    created_at            TEXT NOT NULL
) STRICT;
CREATE INDEX delay_applications_requirement ON delay_applications (requirement_id);

CREATE TABLE bugs (
    id                INTEGER PRIMARY KEY,
    number            TEXT NOT NULL UNIQUE,
    reporter          TEXT NOT NULL DEFAULT '',
    reporter_department TEXT NOT NULL DEFAULT '',
    user_name         TEXT NOT NULL DEFAULT '',
    hospital          TEXT NOT NULL DEFAULT '',
    found_date        TEXT,
    received_date     TEXT NOT NULL,
    phone_model       TEXT NOT NULL DEFAULT '',
    os_version        TEXT NOT NULL DEFAULT '',
    content           TEXT NOT NULL DEFAULT '',
    steps             TEXT NOT NULL DEFAULT '',
    bug_type          TEXT NOT NULL DEFAULT '',
    severity          TEXT NOT NULL DEFAULT '',
    reproduced        INTEGER CHECK (reproduced BETWEEN 0 AND 1),
    reproduced_by     TEXT NOT NULL DEFAULT '',
    reproduced_at     TEXT,
    tracker_id        TEXT NOT NULL DEFAULT '',
    fixed_date        TEXT,
    reporter_notified_at TEXT,
    user_notified_at  TEXT,
    remark            TEXT NOT NULL DEFAULT '',
    withdrawn_at      TEXT,
    withdrawn_reason  TEXT NOT NULL DEFAULT '',
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
) STRICT;

-- Every time somebody was told something (closing the loop), and whether they confirmed.
CREATE TABLE notifications (
    id             INTEGER PRIMARY KEY,
    requirement_id INTEGER REFERENCES requirements(id),
    bug_id         INTEGER REFERENCES bugs(id),
    step           TEXT NOT NULL,
    audience       TEXT NOT NULL,
    recipient      TEXT NOT NULL DEFAULT '',
    channel        TEXT NOT NULL,
    message        TEXT NOT NULL DEFAULT '',
    sent_at        TEXT NOT NULL,
    confirmed_at   TEXT,
    recorded_by    TEXT NOT NULL DEFAULT '',
    recorded_at    TEXT NOT NULL,
    CHECK ((requirement_id IS NULL) <> (bug_id IS NULL))
) STRICT;
CREATE INDEX notifications_requirement ON notifications (requirement_id);
CREATE INDEX notifications_bug ON notifications (bug_id);

CREATE TABLE attachments (
    id             INTEGER PRIMARY KEY,
    requirement_id INTEGER REFERENCES requirements(id),
    bug_id         INTEGER REFERENCES bugs(id),
    file_name      TEXT NOT NULL,
    media_type     TEXT NOT NULL DEFAULT '',
    data           BLOB NOT NULL,
    added_by       TEXT NOT NULL DEFAULT '',
    added_at       TEXT NOT NULL,
    removed_at     TEXT,
    CHECK ((requirement_id IS NULL) <> (bug_id IS NULL))
) STRICT;

-- Every change: what, old → new, who, when it happened and when it was recorded, from where.
CREATE TABLE history (
    id           INTEGER PRIMARY KEY,
    entity       TEXT NOT NULL,                  -- 'requirement' | 'bug' | 'delay' | 'person' | 'notification'
    entity_id    INTEGER NOT NULL,
    field        TEXT NOT NULL,
    old_value    TEXT,
    new_value    TEXT,
    actor_id     INTEGER REFERENCES people(id),
    actor_name   TEXT NOT NULL DEFAULT '',
    happened_at  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL,
    origin       TEXT NOT NULL DEFAULT 'app'     -- 'app' | 'cli' | 'import:<file>'
) STRICT;
CREATE INDEX history_entity ON history (entity, entity_id, id);

INSERT INTO settings (key, value) VALUES
    ('numbering.requirement.scheme', 'YYMMDDNN'),
    ('numbering.requirement.prefix', ''),
    ('numbering.bug.scheme', 'YYMMDDNN'),
    ('numbering.bug.prefix', 'B');

INSERT INTO list_items (list, value, sort) VALUES
    ('source', 'App来源', 1),
    ('source', '推广部转达', 2),
    ('source', '需求收集会', 3),
    ('source', '竞品分析', 4),
    ('source', '员工建议', 5),
    ('department', '资讯部', 1),
    ('department', '推广部', 2),
    ('department', '策划部', 3),
    ('department', 'IT部', 4),
    ('department', '决策组', 5),
    ('department', '总经办', 6),
    ('bug_type', '功能缺陷', 1),
    ('bug_type', '质量', 2),
    ('bug_type', '易用性', 3),
    ('bug_type', '兼容性', 4),
    ('bug_type', '服务', 5),
    ('severity', '轻微', 1),
    ('severity', '一般', 2),
    ('severity', '严重', 3);
