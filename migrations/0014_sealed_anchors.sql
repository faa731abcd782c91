-- What people write is sealed with a key of their own (src/privacy): an
-- anchor keeps `sealed`, and `text` only until the first start of a build
-- that seals (it seals every plain anchor, then empties `text`). SQLite
-- cannot drop a column's NOT NULL or a table's UNIQUE, so the table is
-- made anew: sealed texts differ even when the words are the same, so the
-- store, holding the person, refuses a duplicate itself. A contract
-- migration: an older build would read an anchor with no text.
CREATE TABLE anchors_sealed (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    user_id    BIGINT  NOT NULL REFERENCES users(user_id) ON DELETE CASCADE,
    text       TEXT,
    sealed     BLOB,
    position   BIGINT  NOT NULL,
    created_at BIGINT  NOT NULL,
    CHECK ((text IS NULL) <> (sealed IS NULL))
);

INSERT INTO anchors_sealed (id, user_id, text, position, created_at)
SELECT id, user_id, text, position, created_at FROM anchors;

-- Ids are never reused, even those of anchors removed before this.
DELETE FROM sqlite_sequence WHERE name = 'anchors_sealed';
INSERT INTO sqlite_sequence (name, seq)
SELECT 'anchors_sealed', seq FROM sqlite_sequence WHERE name = 'anchors';

DROP TABLE anchors;
ALTER TABLE anchors_sealed RENAME TO anchors;

CREATE INDEX anchors_by_user_position ON anchors (user_id, position);
-- The anchors still to seal: found at once, and none at all once sealed.
CREATE INDEX anchors_plain ON anchors (id) WHERE text IS NOT NULL;

UPDATE schema_compat SET requires = 14;
