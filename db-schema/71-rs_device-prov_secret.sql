-- Ringset: each phone's provisioning password (README "Security"). Ringset
-- fills it (32 random hex digits) for every device with a MAC; the phone
-- fetches its configuration with HTTP digest, user = its MAC, password =
-- this. A column was added: rs_device is version 2 (userdev checks it,
-- UD_DEVICE_TABLE_VERSION).
ALTER TABLE rs_device ADD COLUMN prov_secret VARCHAR(64) DEFAULT NULL;
UPDATE version SET table_version = '2' WHERE table_name = 'rs_device';
