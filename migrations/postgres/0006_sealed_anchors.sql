-- SQLite's 0014: anchors sealed with their person's key, `text` kept only
-- until the first start of a build that seals. A contract migration.
ALTER TABLE anchors ALTER COLUMN text DROP NOT NULL;
ALTER TABLE anchors DROP CONSTRAINT anchors_user_id_text_key;
ALTER TABLE anchors ADD COLUMN sealed BYTEA;
ALTER TABLE anchors ADD CONSTRAINT anchors_text_or_sealed
    CHECK ((text IS NULL) <> (sealed IS NULL));
CREATE INDEX anchors_plain ON anchors (id) WHERE text IS NOT NULL;

-- The key store, in a schema of its own so that the data and the keys are
-- backed up apart (`pg_dump --exclude-schema=steady_keys` for the data,
-- `pg_dump --schema=steady_keys` for the keys): SQLite's keyring file.
-- Person keys are stored wrapped by a master key that never enters the
-- database.
CREATE SCHEMA steady_keys;

CREATE TABLE steady_keys.masters (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    check_value BYTEA  NOT NULL,
    added_at    BIGINT NOT NULL
);

CREATE TABLE steady_keys.person_keys (
    user_id BIGINT PRIMARY KEY NOT NULL,
    version BIGINT NOT NULL,
    master  BIGINT NOT NULL REFERENCES steady_keys.masters(id),
    wrapped BYTEA  NOT NULL,
    made_at BIGINT NOT NULL
);
CREATE INDEX person_keys_by_master ON steady_keys.person_keys (master);

UPDATE schema_compat SET requires = 6;
