-- Version 9: optional sign-in (issue 13). A person's password as an Argon2id PHC string
-- (salt and parameters inside it); empty when none is set. Used only when the
-- `security.sign_in` setting is on.
ALTER TABLE people ADD COLUMN password_hash TEXT NOT NULL DEFAULT '';
