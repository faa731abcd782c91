-- A mood tap belongs to the check-in message it was pressed on: pressing
-- another number on the same message changes the mood instead of adding
-- one. Taps from before this have no message (NULLs never clash).
ALTER TABLE moods ADD COLUMN checkin_message BIGINT;

CREATE UNIQUE INDEX moods_one_per_checkin ON moods (user_id, checkin_message);
