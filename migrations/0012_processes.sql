-- Each running steady process, one row per boot: its sign of life. Before
-- this, a process was its shard range and said it was alive by touching
-- every exercise it ran (`sessions.seen_at`) twice a second; two processes
-- of one range (a rolling restart that starts the new one first) took each
-- other's exercises, and a machine whose clock ran ahead took everyone's.
--
-- `owner` is the range and a random id made at boot (`sessions.owner` holds
-- it too); `seen_at` is written by the database's own clock, and only that
-- clock ever judges it. A process stopping cleanly sets it to 0, so its
-- leftovers are anyone's at once.
--
-- Additive (docs/SCALING.md, "Upgrades"): a build from before this ignores
-- the table, and keeps its own ways with the rows it owns.
CREATE TABLE processes (
    owner   TEXT   PRIMARY KEY NOT NULL,
    shards  TEXT   NOT NULL,
    seen_at BIGINT NOT NULL
);

-- A Stop pressed on one process is read by the one running the exercise:
-- this index makes that look touch only the rows asked to stop.
CREATE INDEX sessions_stop_requested ON sessions (owner) WHERE stop_requested;
