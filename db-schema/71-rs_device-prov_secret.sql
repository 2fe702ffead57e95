-- Ringset: each phone's provisioning password (PRODUCT.md §10). Ringset
-- fills it (32 random hex digits) for every device with a MAC; the phone
-- fetches its configuration with HTTP digest, user = its MAC, password =
-- this. An added column with a default: rs_device stays version 1.
ALTER TABLE rs_device ADD COLUMN prov_secret VARCHAR(64) DEFAULT NULL;
