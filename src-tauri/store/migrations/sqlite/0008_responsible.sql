-- Version 8: who is responsible for a requirement's steps (issue 12): the collector, the
-- product manager and the IT owner — filled when one of them first does a step of it, and
-- editable. The reporter has always been recorded. The deadlines charge their steps to them.
ALTER TABLE requirements ADD COLUMN collector TEXT NOT NULL DEFAULT '';
ALTER TABLE requirements ADD COLUMN product_manager TEXT NOT NULL DEFAULT '';
ALTER TABLE requirements ADD COLUMN it_owner TEXT NOT NULL DEFAULT '';
