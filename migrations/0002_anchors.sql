-- Anchors: a person's own short truths. `position` keeps their order (gaps
-- after a removal are fine); UNIQUE refuses the same text twice, even from
-- two adds racing each other. AUTOINCREMENT never reuses an id, so a stale id
-- (an old autocomplete choice, `last_anchor_id`) never names a newer anchor.
CREATE TABLE anchors (
    id         INTEGER PRIMARY KEY AUTOINCREMENT, -- Postgres: BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY
    user_id    BIGINT  NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    text       TEXT    NOT NULL,
    position   BIGINT  NOT NULL,
    created_at BIGINT  NOT NULL,
    UNIQUE (user_id, text)
);

CREATE INDEX anchors_by_user_position ON anchors (user_id, position);

-- Rotation: the last anchor sent, so the next send never repeats it twice in
-- a row. No foreign key: a removed anchor simply stops matching.
ALTER TABLE users ADD COLUMN last_anchor_id BIGINT;
