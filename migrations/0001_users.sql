-- Every personal row hangs off `users` (ON DELETE CASCADE), so forgetting a
-- person is one DELETE in one transaction. Times are unix seconds (UTC).
CREATE TABLE users (
    user_id       BIGINT  PRIMARY KEY NOT NULL, -- Discord user id (snowflake)
    dm_channel_id BIGINT,                       -- cached DM channel: a DM is then one request, not two
    created_at    BIGINT  NOT NULL
);
