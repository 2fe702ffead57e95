-- Ringset: pickup, permissions, forwarding, DND and schedules (README
-- "Groups, pickup, permissions, forwarding, do-not-disturb"). rs_user.voicemail and forward_external become NULL-able: NULL takes
-- the value of the user's permission set (or the default). rs_user and
-- rs_followme go to versions 5 and 2.
ALTER TABLE rs_user
    MODIFY voicemail TINYINT(1) DEFAULT NULL,
    MODIFY forward_external TINYINT(1) DEFAULT NULL,
    ADD COLUMN pickup_group VARCHAR(32) DEFAULT NULL,
    ADD COLUMN permission_set VARCHAR(32) DEFAULT NULL,
    ADD COLUMN call_external TINYINT(1) DEFAULT NULL,
    ADD COLUMN call_international TINYINT(1) DEFAULT NULL,
    ADD COLUMN cfwd_target VARCHAR(64) DEFAULT NULL,
    ADD COLUMN dnd TINYINT(1) NOT NULL DEFAULT 0;
ALTER TABLE rs_user ADD CONSTRAINT rs_user_pbx_chk CHECK (dnd IN (0, 1)
    AND call_external IN (0, 1) AND call_international IN (0, 1));
CREATE INDEX rs_user_pickup_idx ON rs_user (pickup_group);
UPDATE version SET table_version = '5' WHERE table_name = 'rs_user';

-- schedule: a tmrec recurrence, e.g. business hours
-- '20260105T083000|PT9H30M|weekly|||MO,TU,WE,TH,FR'; confirm = 1: an
-- external entry rings through the media server's press-1 confirm
ALTER TABLE rs_followme
    ADD COLUMN schedule VARCHAR(255) DEFAULT NULL,
    ADD COLUMN confirm TINYINT(1) NOT NULL DEFAULT 0;
UPDATE version SET table_version = '2' WHERE table_name = 'rs_followme';

INSERT INTO rs_feature_code (code, service) VALUES
    ('*72', 'cfwd_on'),
    ('*73', 'cfwd_off'),
    ('*78', 'dnd_on'),
    ('*79', 'dnd_off'),
    ('*8', 'pickup_group'),
    ('**', 'pickup_directed');
