-- SQLite's migration 0010: who joined a server's latest daily post, each
-- person once, and what that post says (its comments say why).
CREATE TABLE ritual_joins (
    guild_id   BIGINT NOT NULL REFERENCES rituals(guild_id) ON DELETE CASCADE,
    message_id BIGINT NOT NULL,
    user_id    BIGINT NOT NULL,
    PRIMARY KEY (guild_id, message_id, user_id)
);
CREATE INDEX ritual_joins_by_user ON ritual_joins (user_id);

ALTER TABLE rituals ADD COLUMN post_channel BIGINT;
ALTER TABLE rituals ADD COLUMN post_minute BIGINT;
ALTER TABLE rituals ADD COLUMN post_locale TEXT;
