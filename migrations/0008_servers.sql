-- What steady keeps for a server (/calm), by guild id. Nothing here names
-- a person. All of it is deleted by `/calm forget`, and when steady is
-- removed from the server (GUILD_DELETE without `unavailable`).

-- Where calm corner panels were posted, so `/calm status` can list them.
-- Their buttons need nothing stored: they work without these rows.
CREATE TABLE panels (
    message_id BIGINT PRIMARY KEY NOT NULL,
    guild_id   BIGINT NOT NULL,
    channel_id BIGINT NOT NULL,
    posted_at  BIGINT NOT NULL
);

CREATE INDEX panels_by_guild ON panels (guild_id);

-- The server's own help lines, shown first by /support in that server.
CREATE TABLE server_help (
    guild_id BIGINT NOT NULL,
    name     TEXT   NOT NULL COLLATE NOCASE,  -- "Talk to a mod" and "talk to a mod" are one
    text     TEXT   NOT NULL,
    link     TEXT,                            -- https only
    added_at BIGINT NOT NULL,
    PRIMARY KEY (guild_id, name)
);

-- The daily moment to breathe together: one per server. `next_due` works
-- as for check-ins (claimed and advanced in one transaction, so one post a
-- day); `message_id` is the latest post, whose count of joins is edited at
-- most once a minute (`shown_at`).
CREATE TABLE rituals (
    guild_id     BIGINT PRIMARY KEY NOT NULL,
    channel_id   BIGINT NOT NULL,
    local_minute BIGINT NOT NULL,
    zone         TEXT   NOT NULL,
    pattern      BIGINT NOT NULL DEFAULT 0,   -- the breathing pattern's index
    locale       TEXT   NOT NULL,             -- the server's language, for the post
    next_due     BIGINT,
    message_id   BIGINT,
    joined       BIGINT NOT NULL DEFAULT 0,
    shown        BIGINT NOT NULL DEFAULT 0,   -- the count the post shows
    shown_at     BIGINT,
    updated_at   BIGINT NOT NULL
);

CREATE INDEX rituals_by_due ON rituals (next_due) WHERE next_due IS NOT NULL;
