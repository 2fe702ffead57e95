-- Ringset: one change counter (issue 13). The write path of state changes
-- now bumps rs_change.counter ('userdir', db-schema/75) as its first
-- statement, which also takes the row lock that serialises changes on
-- every node; the separate rs_generation table of the first several-nodes
-- work is gone. Harmless on a database that never had it.
DROP TABLE IF EXISTS rs_generation;
DELETE FROM version WHERE table_name = 'rs_generation';
