-- Version 11: a server's register sorts gained an index per sortable column
-- (migrations/postgres/0011_sort_indexes.sql). A file sorts through its one narrow
-- requirements_register index (version 3) within tens of milliseconds and keeps its imports
-- lighter without them: nothing changes here; the version moves with the server's.
SELECT 1;
