-- Ringset: voicemail messages, one row per message of a mailbox (README
-- "Voicemail and message waiting"). The media server writes them; the WAV file is at path.
CREATE TABLE rs_voicemail (
    id INT(10) UNSIGNED AUTO_INCREMENT PRIMARY KEY NOT NULL,
    extension VARCHAR(32) NOT NULL,
    caller VARCHAR(64) NOT NULL DEFAULT '',
    created DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    duration_ms INT(10) UNSIGNED NOT NULL DEFAULT 0,
    state VARCHAR(8) NOT NULL DEFAULT 'new',
    path VARCHAR(255) NOT NULL DEFAULT '',
    KEY extension_idx (extension, state, created)
);

INSERT INTO version (table_name, table_version) VALUES ('rs_voicemail', '1');

-- *97: the mailbox's owner listens to its messages
INSERT IGNORE INTO rs_feature_code (code, service) VALUES ('*97', 'voicemail_main');
