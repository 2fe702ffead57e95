-- Ringset: the change counter of the user directory (issue 16). Every
-- write to a table of the directory snapshot bumps rs_change.counter of
-- 'userdir' (triggers below), so the userdev poller reads one row by key
-- each second instead of four whole tables. A table added to the snapshot
-- needs the same three triggers. TRUNCATE fires no trigger: userdev reads
-- everything every recheck_interval seconds anyway (and on userdev.reload).
CREATE TABLE rs_change (
    name VARCHAR(32) PRIMARY KEY NOT NULL,
    counter BIGINT UNSIGNED NOT NULL DEFAULT 0
);

INSERT INTO rs_change (name, counter) VALUES ('userdir', 0);

CREATE TRIGGER rs_user_ai AFTER INSERT ON rs_user FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
CREATE TRIGGER rs_user_au AFTER UPDATE ON rs_user FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
CREATE TRIGGER rs_user_ad AFTER DELETE ON rs_user FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
CREATE TRIGGER rs_device_ai AFTER INSERT ON rs_device FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
CREATE TRIGGER rs_device_au AFTER UPDATE ON rs_device FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
CREATE TRIGGER rs_device_ad AFTER DELETE ON rs_device FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
CREATE TRIGGER rs_followme_ai AFTER INSERT ON rs_followme FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
CREATE TRIGGER rs_followme_au AFTER UPDATE ON rs_followme FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
CREATE TRIGGER rs_followme_ad AFTER DELETE ON rs_followme FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
CREATE TRIGGER rs_feature_code_ai AFTER INSERT ON rs_feature_code FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
CREATE TRIGGER rs_feature_code_au AFTER UPDATE ON rs_feature_code FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
CREATE TRIGGER rs_feature_code_ad AFTER DELETE ON rs_feature_code FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';

INSERT INTO version (table_name, table_version) VALUES ('rs_change', '1');
