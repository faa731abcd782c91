-- The whole schema for PostgreSQL, as SQLite's migrations 0001 to 0009 left
-- it (their comments say why each table is as it is). Times are unix
-- seconds in BIGINT columns, ids Discord's snowflakes, on both backends.
-- Later migrations come in pairs: one in migrations/, one here.

CREATE TABLE users (
    user_id        BIGINT  PRIMARY KEY NOT NULL,
    dm_channel_id  BIGINT,
    created_at     BIGINT  NOT NULL,
    last_anchor_id BIGINT,
    mood_history   BOOLEAN NOT NULL DEFAULT FALSE,
    locale         TEXT
);

CREATE TABLE anchors (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    text       TEXT   NOT NULL,
    position   BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    UNIQUE (user_id, text)
);
CREATE INDEX anchors_by_user_position ON anchors (user_id, position);

CREATE TABLE checkins (
    user_id      BIGINT  PRIMARY KEY NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    local_minute BIGINT  NOT NULL,
    zone         TEXT    NOT NULL,
    next_due     BIGINT,
    failures     BIGINT  NOT NULL DEFAULT 0,
    paused_at    BIGINT,
    paused_why   TEXT,
    pause_told   BOOLEAN NOT NULL DEFAULT FALSE,
    updated_at   BIGINT  NOT NULL
);
CREATE INDEX checkins_by_due ON checkins (next_due) WHERE next_due IS NOT NULL;

CREATE TABLE moods (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id         BIGINT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    at              BIGINT NOT NULL,
    mood            BIGINT NOT NULL CHECK (mood BETWEEN 1 AND 5),
    checkin_message BIGINT
);
CREATE INDEX moods_by_user_time ON moods (user_id, at);
CREATE UNIQUE INDEX moods_one_per_checkin ON moods (user_id, checkin_message);

CREATE TABLE sessions (
    interaction_id BIGINT  PRIMARY KEY NOT NULL,
    user_id        BIGINT  NOT NULL,
    application_id BIGINT  NOT NULL,
    token          TEXT    NOT NULL,
    started_at     BIGINT  NOT NULL,
    locale         TEXT    NOT NULL DEFAULT 'en-US',
    owner          TEXT    NOT NULL DEFAULT '',
    stop_requested BOOLEAN NOT NULL DEFAULT FALSE,
    seen_at        BIGINT  NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX sessions_one_per_person ON sessions (user_id);

CREATE TABLE waits (
    user_id        BIGINT  PRIMARY KEY NOT NULL,
    started_at     BIGINT  NOT NULL,
    minutes        BIGINT  NOT NULL,
    ends_at        BIGINT  NOT NULL,
    due            BIGINT,
    urge_before    BIGINT  CHECK (urge_before BETWEEN 1 AND 5),
    private        BOOLEAN NOT NULL,
    locale         TEXT    NOT NULL,
    application_id BIGINT,
    token          TEXT
);
CREATE INDEX waits_by_due ON waits (due) WHERE due IS NOT NULL;

CREATE TABLE urges (
    user_id    BIGINT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    started_at BIGINT NOT NULL,
    before     BIGINT CHECK (before BETWEEN 1 AND 5),
    after      BIGINT CHECK (after BETWEEN 1 AND 5),
    PRIMARY KEY (user_id, started_at)
);

CREATE TABLE panels (
    message_id BIGINT PRIMARY KEY NOT NULL,
    guild_id   BIGINT NOT NULL,
    channel_id BIGINT NOT NULL,
    posted_at  BIGINT NOT NULL
);
CREATE INDEX panels_by_guild ON panels (guild_id);

-- SQLite keys a name regardless of case (COLLATE NOCASE, ASCII letters);
-- here the same index holds on lower(name). `id` keeps the order lines were
-- added in, as SQLite's rowid does.
CREATE TABLE server_help (
    id       BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    guild_id BIGINT NOT NULL,
    name     TEXT   NOT NULL,
    text     TEXT   NOT NULL,
    link     TEXT,
    added_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX server_help_one_name ON server_help (guild_id, lower(name));

CREATE TABLE rituals (
    guild_id     BIGINT PRIMARY KEY NOT NULL,
    channel_id   BIGINT NOT NULL,
    local_minute BIGINT NOT NULL,
    zone         TEXT   NOT NULL,
    pattern      BIGINT NOT NULL DEFAULT 0,
    locale       TEXT   NOT NULL,
    next_due     BIGINT,
    message_id   BIGINT,
    joined       BIGINT NOT NULL DEFAULT 0,
    shown        BIGINT NOT NULL DEFAULT 0,
    shown_at     BIGINT,
    updated_at   BIGINT NOT NULL
);
CREATE INDEX rituals_by_due ON rituals (next_due) WHERE next_due IS NOT NULL;
