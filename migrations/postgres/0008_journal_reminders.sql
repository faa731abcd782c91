-- SQLite's migration 0016: evening journal reminders, kept as check-ins
-- are (its comments say what each column means).
CREATE TABLE journal_reminders (
    user_id      BIGINT  PRIMARY KEY NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    local_minute BIGINT  NOT NULL,
    zone         TEXT    NOT NULL,
    next_due     BIGINT,
    failures     BIGINT  NOT NULL DEFAULT 0,
    paused_at    BIGINT,
    pause_told   BOOLEAN NOT NULL DEFAULT FALSE,
    acted_at     BIGINT,
    updated_at   BIGINT  NOT NULL
);
CREATE INDEX journal_reminders_by_due ON journal_reminders (next_due) WHERE next_due IS NOT NULL;
