-- Ringset: permission sets (README "Permissions"). rs_user.permission_set names
-- one; a user's own non-NULL column overrides the set, a set's non-NULL
-- column overrides the default (call_external 1, call_international 1,
-- forward_external 0, voicemail 0).
CREATE TABLE rs_permission_set (
    id INT(10) UNSIGNED AUTO_INCREMENT PRIMARY KEY NOT NULL,
    name VARCHAR(32) NOT NULL,
    call_external TINYINT(1) DEFAULT NULL,
    call_international TINYINT(1) DEFAULT NULL,
    forward_external TINYINT(1) DEFAULT NULL,
    voicemail TINYINT(1) DEFAULT NULL,
    CONSTRAINT name_idx UNIQUE (name),
    CONSTRAINT rs_permission_set_bool_chk CHECK (call_external IN (0, 1)
        AND call_international IN (0, 1) AND forward_external IN (0, 1)
        AND voicemail IN (0, 1))
);

INSERT INTO version (table_name, table_version) VALUES ('rs_permission_set', '1');
