-- Who joined a server's latest daily post, so each person is counted once
-- however often they press (`rituals.joined` counts these rows as they
-- come). Only the latest post's are kept: the next day's post replaces
-- them. They go with the moment (`/calm ritual off`, `/calm forget`,
-- steady removed from the server), and a person's own with `/mydata delete`.
CREATE TABLE ritual_joins (
    guild_id   BIGINT NOT NULL REFERENCES rituals(guild_id) ON DELETE CASCADE,
    message_id BIGINT NOT NULL,
    user_id    BIGINT NOT NULL,
    PRIMARY KEY (guild_id, message_id, user_id)
);

CREATE INDEX ritual_joins_by_user ON ritual_joins (user_id);

-- What the latest post says (its channel, time and language), so the edit
-- that shows its count keeps them after the moment is changed. NULL for a
-- post from before this, which reads the moment's own.
ALTER TABLE rituals ADD COLUMN post_channel BIGINT;
ALTER TABLE rituals ADD COLUMN post_minute BIGINT;
ALTER TABLE rituals ADD COLUMN post_locale TEXT;
