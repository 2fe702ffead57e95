-- Ringset: subscriber is a table of the directory snapshot too (its HA1s,
-- README "Faults"): every write bumps the change counter of 'userdir'
-- (75-rs_change-create.sql), so a new password reaches the snapshot file
-- within userdev's poll interval, not at the next full load.
CREATE TRIGGER subscriber_ai AFTER INSERT ON subscriber FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
CREATE TRIGGER subscriber_au AFTER UPDATE ON subscriber FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
CREATE TRIGGER subscriber_ad AFTER DELETE ON subscriber FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
