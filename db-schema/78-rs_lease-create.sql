-- Ringset: leases (issue 13, README "Several nodes"). With several nodes one node
-- does a job for all of them: the holder of its row. Row 'forkm': the node
-- that publishes the forkm<ext> BLF states (fork2mobile publisher_lease_ms).
-- A node takes the row when it is free or expired and renews it for itself
-- (one UPDATE, settled by the database); expires is the database's time in
-- ms since 1970.
CREATE TABLE rs_lease (
    name VARCHAR(32) PRIMARY KEY NOT NULL,
    holder VARCHAR(64) NOT NULL DEFAULT '',
    expires BIGINT NOT NULL DEFAULT 0
) ENGINE=InnoDB;

INSERT INTO rs_lease (name, holder, expires) VALUES ('forkm', '', 0);

INSERT INTO version (table_name, table_version) VALUES ('rs_lease', '1');
