-- Version 13: a server announces each change to the windows showing it
-- (migrations/postgres/0013_change_notices.sql). A file needs nothing for that: a window
-- notices another connection's commit by the file's data_version. Nothing changes here; the
-- version moves with the server's.
SELECT 1;
