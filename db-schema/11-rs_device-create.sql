-- Ringset: devices (SIP accounts, = subscriber.username) and their owner.
CREATE TABLE rs_device (
    id INT(10) UNSIGNED AUTO_INCREMENT PRIMARY KEY NOT NULL,
    username VARCHAR(64) NOT NULL,
    domain VARCHAR(64) NOT NULL DEFAULT '',
    extension VARCHAR(32) DEFAULT NULL,
    kind ENUM('static', 'hotdesk_terminal', 'hotdesk_account')
        NOT NULL DEFAULT 'static',
    mac CHAR(12) DEFAULT NULL,
    CONSTRAINT username_idx UNIQUE (username),
    CONSTRAINT rs_device_owner_chk CHECK (
        (kind = 'hotdesk_terminal' AND extension IS NULL)
        OR (kind <> 'hotdesk_terminal' AND extension IS NOT NULL))
);

CREATE INDEX rs_device_extension_idx ON rs_device (extension);

INSERT INTO version (table_name, table_version) VALUES ('rs_device', '1');
