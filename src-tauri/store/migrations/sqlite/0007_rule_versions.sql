-- Version 7: the company's rules (the assessment's amounts and bands, the deadlines' windows)
-- versioned with the day they take effect (issue 12): a month is assessed with the rules in
-- force that month, so re-running an old month gives the same sheet. `settings` keeps the value
-- in force now; these rows keep every change and its day.
CREATE TABLE rule_versions (
    id             INTEGER PRIMARY KEY,
    key            TEXT NOT NULL,
    value          TEXT NOT NULL,
    effective_from TEXT NOT NULL,            -- YYYY-MM-DD
    recorded_by    TEXT NOT NULL DEFAULT '',
    recorded_at    TEXT NOT NULL
) STRICT;
CREATE INDEX rule_versions_key ON rule_versions (key, effective_from, id);
