-- Ringset: follow-me sequences (README "Follow-me").
CREATE TABLE rs_followme (
    id INT(10) UNSIGNED AUTO_INCREMENT PRIMARY KEY NOT NULL,
    extension VARCHAR(32) NOT NULL,
    position INT NOT NULL,
    target VARCHAR(64) NOT NULL,
    mode ENUM('parallel', 'serial') NOT NULL DEFAULT 'serial',
    ring_seconds INT NOT NULL DEFAULT 20,
    enabled TINYINT(1) NOT NULL DEFAULT 1,
    CONSTRAINT extension_position_idx UNIQUE (extension, position),
    CONSTRAINT rs_followme_ring_chk CHECK (ring_seconds BETWEEN 1 AND 600)
);

INSERT INTO version (table_name, table_version) VALUES ('rs_followme', '1');
