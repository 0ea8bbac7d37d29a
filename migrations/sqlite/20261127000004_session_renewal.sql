-- A session whose id was renewed keeps its old row for a few seconds of
-- grace; it is no longer listed as a signed-in session.
ALTER TABLE sessions ADD COLUMN renewed BIGINT NOT NULL DEFAULT 0;
