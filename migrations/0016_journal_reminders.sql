-- Evening journal reminders: at most one row per person, so at most one DM a
-- day, kept exactly as a check-in is (0003, 0011): `next_due` is the next
-- instant to send (unix seconds, UTC), advanced in the transaction that
-- claims the row, so a reminder is never sent twice; NULL once closed DMs
-- paused it (`paused_at`). `acted_at`: when a delivery given back at a stop
-- was first tried in a way Discord may have acted on.
CREATE TABLE journal_reminders (
    user_id      BIGINT  PRIMARY KEY NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    local_minute BIGINT  NOT NULL,                -- chosen wall time: minutes after local midnight
    zone         TEXT    NOT NULL,                -- IANA time zone, e.g. Europe/Berlin
    next_due     BIGINT,
    failures     BIGINT  NOT NULL DEFAULT 0,      -- refused DMs in a row
    paused_at    BIGINT,                          -- when refused DMs (or an unreadable row) paused it
    pause_told   BOOLEAN NOT NULL DEFAULT FALSE,  -- the person has been told of the pause
    acted_at     BIGINT,
    updated_at   BIGINT  NOT NULL
);

CREATE INDEX journal_reminders_by_due ON journal_reminders (next_due) WHERE next_due IS NOT NULL;
