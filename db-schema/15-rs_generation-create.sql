-- Ringset: the generation of the shared state (README "Several nodes"). Every state
-- change (Fork2Mobile, hot-desk sessions and accounts, lockouts) is one
-- transaction that first locks this row and ends by bumping gen; every
-- node's userdev poller reads gen every poll_tick_ms and reloads its
-- directory when it moved. One row, id 1.
CREATE TABLE rs_generation (
    id INT(10) UNSIGNED PRIMARY KEY NOT NULL,
    gen BIGINT(20) UNSIGNED NOT NULL DEFAULT 0
) ENGINE=InnoDB;

INSERT INTO rs_generation (id, gen) VALUES (1, 0);

INSERT INTO version (table_name, table_version) VALUES ('rs_generation','1');
