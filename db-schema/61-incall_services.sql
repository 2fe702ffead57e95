-- Ringset: in-call services (README "In-call services"). A user with incall_services = 1
-- has its calls, made and received, carried by the media server's b2bua
-- service; the codes it reacts to during a call are rows of rs_feature_code;
-- the CDR of a transferred call names the user who transferred it.
-- A column was added: rs_user is version 3 (userdev checks it,
-- UD_USER_TABLE_VERSION; acc and missed_calls are stock tables, whose
-- versions the acc module checks, so they keep theirs).
ALTER TABLE rs_user ADD COLUMN incall_services TINYINT(1) NOT NULL DEFAULT 0;
ALTER TABLE rs_user ADD CONSTRAINT rs_user_incall_chk CHECK (incall_services IN (0, 1));
UPDATE version SET table_version = '3' WHERE table_name = 'rs_user';

INSERT IGNORE INTO rs_feature_code (code, service) VALUES
    ('#4', 'xfer_attended'),
    ('*0', 'xfer_cancel'),
    ('*9', 'xfer_toggle'),
    ('*3', 'xfer_conference');

ALTER TABLE acc ADD COLUMN transferred_by VARCHAR(32) NOT NULL DEFAULT '';
ALTER TABLE missed_calls ADD COLUMN transferred_by VARCHAR(32) NOT NULL DEFAULT '';
