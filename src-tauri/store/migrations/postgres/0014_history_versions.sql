-- Version 14 (issue 22: several people at once): each history row written by an edit says
-- which version of its record the edit made, so a save refused as stale can say who changed
-- what since the version the user saw. Rows from before stay without one.
ALTER TABLE history ADD COLUMN version BIGINT;
