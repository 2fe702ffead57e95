-- Ringset: per-user media anchoring (issue 6, README "Layout"). Calls between
-- two local phones keep direct media; anchor_media = 1 puts every call of
-- the user through RTPengine ("direct media disabled"), which in-call
-- services need. A column was added: rs_user is version 2 (userdev checks
-- it, UD_USER_TABLE_VERSION).
ALTER TABLE rs_user ADD COLUMN anchor_media TINYINT(1) NOT NULL DEFAULT 0;
ALTER TABLE rs_user ADD CONSTRAINT rs_user_anchor_chk CHECK (anchor_media IN (0, 1));
UPDATE version SET table_version = '2' WHERE table_name = 'rs_user';
