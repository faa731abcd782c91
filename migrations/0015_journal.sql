-- The journal: what a person writes for themselves, sealed with their key
-- for its row (`Place { table: "journal", column: "sealed" }`), so `sealed`
-- is filled in right after the insert, in its transaction. `kind` says what
-- wrote it: an entry of /journal, a reframe's record, a wait's draft.
-- A row with `expires_at` is not (yet) in the person's journal (a reframe
-- under way, a draft not kept): it is deleted once that instant passes.
-- AUTOINCREMENT never reuses an id, so a stale button never names a newer row.
CREATE TABLE journal (
    id         INTEGER PRIMARY KEY AUTOINCREMENT, -- Postgres: BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY
    user_id    BIGINT  NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    kind       TEXT    NOT NULL CHECK (kind IN ('entry', 'reframe', 'draft')),
    prompt     TEXT,
    written_at BIGINT  NOT NULL,
    expires_at BIGINT,
    sealed     BLOB    NOT NULL
);

-- `/journal read`: a person's kept rows, newest first.
CREATE INDEX journal_kept ON journal (user_id, written_at) WHERE expires_at IS NULL;
-- The sweep: only rows that will expire.
CREATE INDEX journal_expiring ON journal (expires_at) WHERE expires_at IS NOT NULL;
