-- Paced exercises under way (/breathe, /relax), so one cut short by a crash
-- is finished kindly on the next start instead of freezing mid-breath. The
-- token is the interaction's own (Discord keeps it valid for 15 minutes);
-- the row lives only while the exercise runs. No users row is needed to
-- breathe, so this one stands alone; /mydata delete removes it by user_id.
CREATE TABLE sessions (
    interaction_id BIGINT PRIMARY KEY NOT NULL,
    user_id        BIGINT NOT NULL,
    application_id BIGINT NOT NULL,
    token          TEXT   NOT NULL,
    started_at     BIGINT NOT NULL
);
