-- SQLite's 0015: the journal, each text sealed with its person's key for
-- its row; a row with `expires_at` is deleted once that instant passes.
CREATE TABLE journal (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id    BIGINT NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    kind       TEXT   NOT NULL CHECK (kind IN ('entry', 'reframe', 'draft')),
    prompt     TEXT,
    written_at BIGINT NOT NULL,
    expires_at BIGINT,
    sealed     BYTEA  NOT NULL
);

CREATE INDEX journal_kept ON journal (user_id, written_at) WHERE expires_at IS NULL;
CREATE INDEX journal_expiring ON journal (expires_at) WHERE expires_at IS NOT NULL;
