-- SQLite's migration 0012: each running process's sign of life, one row
-- per boot, judged by the database's clock; and the index that lets a
-- process read only the Stops pressed for it (its comments say why).
CREATE TABLE processes (
    owner   TEXT   PRIMARY KEY NOT NULL,
    shards  TEXT   NOT NULL,
    seen_at BIGINT NOT NULL
);

CREATE INDEX sessions_stop_requested ON sessions (owner) WHERE stop_requested;
