-- Ringset: device names compare exactly (README "Security"). MySQL's default
-- collations fold case, so auth_db found subscriber 'hotdesk-0004f2a1b2c3'
-- for the digest username 'HOTDESK-0004F2A1B2C3', which Ringset's directory
-- (exact bytes) then did not know: an unknown device that could call
-- anyone. Binary collations on every username column end that; column
-- types and defaults are the stock ones, so no version changes.
ALTER TABLE subscriber MODIFY username VARCHAR(64)
    CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '';
ALTER TABLE location MODIFY username VARCHAR(64)
    CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT '';
ALTER TABLE rs_device MODIFY username VARCHAR(64)
    CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
ALTER TABLE rs_hotdesk MODIFY terminal VARCHAR(64)
    CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL;
