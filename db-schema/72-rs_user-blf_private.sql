-- Ringset: who may watch whom (BLF, README "Security"). By default any device
-- of the domain may watch any user (and pick up its calls); blf_private = 1
-- makes a user watchable only by its own devices, and only they may pick
-- up its ringing calls. A column was added: rs_user is version 4 (userdev
-- checks it, UD_USER_TABLE_VERSION).
ALTER TABLE rs_user ADD COLUMN blf_private TINYINT(1) NOT NULL DEFAULT 0;
ALTER TABLE rs_user ADD CONSTRAINT rs_user_blf_private_chk CHECK (blf_private IN (0, 1));
UPDATE version SET table_version = '4' WHERE table_name = 'rs_user';
