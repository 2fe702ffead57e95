-- Ringset: ring groups (README "Ring groups"). A group is a number (unique among
-- users and groups) whose calls ring its members: ringall (all at once),
-- serial (one after the other by position, ring_seconds each) or hunt
-- (serial, starting after the member who answered last). last_destination
-- when nobody answers: an extension, a number, 'voicemail' (the group's
-- own mailbox) or '' (480).
CREATE TABLE rs_group (
    id INT(10) UNSIGNED AUTO_INCREMENT PRIMARY KEY NOT NULL,
    extension VARCHAR(32) NOT NULL,
    domain VARCHAR(64) NOT NULL DEFAULT '',
    display_name VARCHAR(128) NOT NULL DEFAULT '',
    strategy ENUM('ringall', 'serial', 'hunt') NOT NULL DEFAULT 'ringall',
    ring_seconds INT NOT NULL DEFAULT 20,
    last_destination VARCHAR(64) NOT NULL DEFAULT '',
    CONSTRAINT extension_idx UNIQUE (extension),
    CONSTRAINT rs_group_ring_chk CHECK (ring_seconds BETWEEN 1 AND 600)
);

INSERT INTO version (table_name, table_version) VALUES ('rs_group', '1');

CREATE TABLE rs_group_member (
    id INT(10) UNSIGNED AUTO_INCREMENT PRIMARY KEY NOT NULL,
    group_extension VARCHAR(32) NOT NULL,
    extension VARCHAR(32) NOT NULL,
    position INT NOT NULL DEFAULT 0,
    CONSTRAINT group_member_idx UNIQUE (group_extension, extension),
    CONSTRAINT group_position_idx UNIQUE (group_extension, position)
);

INSERT INTO version (table_name, table_version) VALUES ('rs_group_member', '1');
