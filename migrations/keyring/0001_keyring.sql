-- The key store of a SQLite database, in a file of its own beside it
-- (`privacy.keyring`, `steady-keys.db` by default), so that a backup of the
-- data holds no key. Person keys are stored wrapped by a master key that
-- never enters either file; `masters` holds, for each master key, a value
-- only that key opens, to tell which one wrapped which person keys.
CREATE TABLE masters (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    check_value BLOB   NOT NULL,
    added_at    BIGINT NOT NULL
);

-- `version` is random, new with each key, and bound into every text the
-- key seals: a key made after a delete never claims an older text.
CREATE TABLE person_keys (
    user_id BIGINT  PRIMARY KEY NOT NULL,
    version BIGINT  NOT NULL,
    master  BIGINT  NOT NULL REFERENCES masters(id),
    wrapped BLOB    NOT NULL,
    made_at BIGINT  NOT NULL
);
CREATE INDEX person_keys_by_master ON person_keys (master);
