-- Ringset: hot-desk sessions (README "Hot desking").
CREATE TABLE rs_hotdesk (
    id INT(10) UNSIGNED AUTO_INCREMENT PRIMARY KEY NOT NULL,
    extension VARCHAR(32) NOT NULL,
    terminal VARCHAR(64) NOT NULL,
    since DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT extension_idx UNIQUE (extension),
    CONSTRAINT terminal_idx UNIQUE (terminal)
);

INSERT INTO version (table_name, table_version) VALUES ('rs_hotdesk', '1');
