-- Ringset: one CDR row per answered call, written with its BYE: when the
-- call was answered (local time, 'YYYY-MM-DD HH:MM:SS') and how long it
-- lasted (seconds); empty on rows of failed calls and in missed_calls.
ALTER TABLE acc
    ADD COLUMN call_start VARCHAR(19) NOT NULL DEFAULT '',
    ADD COLUMN duration VARCHAR(10) NOT NULL DEFAULT '';
ALTER TABLE missed_calls
    ADD COLUMN call_start VARCHAR(19) NOT NULL DEFAULT '',
    ADD COLUMN duration VARCHAR(10) NOT NULL DEFAULT '';
