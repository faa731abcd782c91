-- Daily check-ins: at most one row per person, so at most one a day.
-- `next_due` is the next instant to send (unix seconds, UTC); the scheduler
-- advances it in the same transaction that claims the row, so a check-in is
-- never sent twice. NULL while paused.
CREATE TABLE checkins (
    user_id      BIGINT  PRIMARY KEY NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    local_minute BIGINT  NOT NULL,                -- chosen wall time: minutes after local midnight
    zone         TEXT    NOT NULL,                -- IANA time zone, e.g. Europe/Berlin
    next_due     BIGINT,
    failures     BIGINT  NOT NULL DEFAULT 0,      -- refused DMs in a row
    paused_at    BIGINT,                          -- when and why it paused itself or was paused
    paused_why   TEXT,                            -- 'asked' | 'dms_closed' | 'zone_gone'
    pause_told   BOOLEAN NOT NULL DEFAULT FALSE,  -- the person has been told of the pause
    updated_at   BIGINT  NOT NULL
);

-- The scheduler's only questions: what is due, and when is the next one.
CREATE INDEX checkins_by_due ON checkins (next_due) WHERE next_due IS NOT NULL;

-- Mood taps are kept only for people who chose to keep a history.
ALTER TABLE users ADD COLUMN mood_history BOOLEAN NOT NULL DEFAULT FALSE;

CREATE TABLE moods (
    id      INTEGER PRIMARY KEY AUTOINCREMENT, -- Postgres: BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY
    user_id BIGINT  NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    at      BIGINT  NOT NULL,
    mood    BIGINT  NOT NULL CHECK (mood BETWEEN 1 AND 5)
);

CREATE INDEX moods_by_user_time ON moods (user_id, at);
