-- Ringset: feature codes (README "Provisioning", "Fork2Mobile and feature codes", "Hot desking").
CREATE TABLE rs_feature_code (
    id INT(10) UNSIGNED AUTO_INCREMENT PRIMARY KEY NOT NULL,
    code VARCHAR(16) NOT NULL,
    service VARCHAR(32) NOT NULL,
    enabled TINYINT(1) NOT NULL DEFAULT 1,
    CONSTRAINT code_idx UNIQUE (code)
);

INSERT INTO version (table_name, table_version) VALUES ('rs_feature_code', '1');

INSERT INTO rs_feature_code (code, service) VALUES
    ('*501', 'fork2mobile_on'),
    ('*500', 'fork2mobile_off'),
    ('*50*', 'fork2mobile_toggle'),
    ('*509', 'fork2mobile_status'),
    ('*400', 'hotdesk_logout');
