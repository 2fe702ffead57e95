-- Ringset: rs_permission_set, rs_group and rs_group_member are tables of the
-- directory snapshot too (README, groups section): every write bumps the change
-- counter of 'userdir' (75-rs_change-create.sql), so userdev reloads within
-- its poll interval.
CREATE TRIGGER rs_permission_set_ai AFTER INSERT ON rs_permission_set FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
CREATE TRIGGER rs_permission_set_au AFTER UPDATE ON rs_permission_set FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
CREATE TRIGGER rs_permission_set_ad AFTER DELETE ON rs_permission_set FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
CREATE TRIGGER rs_group_ai AFTER INSERT ON rs_group FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
CREATE TRIGGER rs_group_au AFTER UPDATE ON rs_group FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
CREATE TRIGGER rs_group_ad AFTER DELETE ON rs_group FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
CREATE TRIGGER rs_group_member_ai AFTER INSERT ON rs_group_member FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
CREATE TRIGGER rs_group_member_au AFTER UPDATE ON rs_group_member FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
CREATE TRIGGER rs_group_member_ad AFTER DELETE ON rs_group_member FOR EACH ROW
    UPDATE rs_change SET counter = counter + 1 WHERE name = 'userdir';
