-- Version 4: the signed paper of a delay application (附表1), photographed or scanned, kept
-- with it. The attachment stays the requirement's (its CHECK names one owner) and also names
-- the application it belongs to.
ALTER TABLE attachments ADD COLUMN delay_id INTEGER REFERENCES delay_applications(id);
CREATE INDEX attachments_delay ON attachments (delay_id);
