-- Ringset: CDRs name the user and the device on each side (README "Provisioning").
ALTER TABLE acc
    ADD COLUMN src_user VARCHAR(32) NOT NULL DEFAULT '',
    ADD COLUMN src_device VARCHAR(64) NOT NULL DEFAULT '',
    ADD COLUMN dst_user VARCHAR(32) NOT NULL DEFAULT '',
    ADD COLUMN dst_device VARCHAR(64) NOT NULL DEFAULT '';
ALTER TABLE missed_calls
    ADD COLUMN src_user VARCHAR(32) NOT NULL DEFAULT '',
    ADD COLUMN src_device VARCHAR(64) NOT NULL DEFAULT '',
    ADD COLUMN dst_user VARCHAR(32) NOT NULL DEFAULT '',
    ADD COLUMN dst_device VARCHAR(64) NOT NULL DEFAULT '';
