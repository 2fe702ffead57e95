-- Ringset: users (extensions). README "Provisioning". Column names are the contract.
CREATE TABLE rs_user (
    id INT(10) UNSIGNED AUTO_INCREMENT PRIMARY KEY NOT NULL,
    extension VARCHAR(32) NOT NULL,
    domain VARCHAR(64) NOT NULL DEFAULT '',
    display_name VARCHAR(128) NOT NULL DEFAULT '',
    external_cli VARCHAR(32) NOT NULL DEFAULT '',
    pin_hash VARCHAR(128) NOT NULL DEFAULT '',
    voicemail TINYINT(1) NOT NULL DEFAULT 0,
    forward_external TINYINT(1) NOT NULL DEFAULT 0,
    hotdesk TINYINT(1) NOT NULL DEFAULT 0,
    mobile VARCHAR(32) DEFAULT NULL,
    fork2mobile TINYINT(1) NOT NULL DEFAULT 0,
    ring_seconds INT NOT NULL DEFAULT 20,
    max_calls INT NOT NULL DEFAULT 0,
    CONSTRAINT extension_idx UNIQUE (extension),
    CONSTRAINT rs_user_bool_chk CHECK (voicemail IN (0, 1)
        AND forward_external IN (0, 1) AND hotdesk IN (0, 1)
        AND fork2mobile IN (0, 1)),
    CONSTRAINT rs_user_ring_chk CHECK (ring_seconds BETWEEN 1 AND 600),
    CONSTRAINT rs_user_max_calls_chk CHECK (max_calls >= 0)
);

INSERT INTO version (table_name, table_version) VALUES ('rs_user', '1');
