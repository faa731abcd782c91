-- Several steady processes may share this database. A running exercise is
-- then a row every process can see: its person may run only one (the unique
-- index, which holds across processes), a Stop pressed on any process is
-- written here for the one that runs it, and `seen_at` is that process's
-- last sign of life, so another can finish its exercises if it died.
--
-- `owner` names the process that runs the exercise: the gateway shards it
-- serves (docs/SCALING.md), the same across its restarts.
ALTER TABLE sessions ADD COLUMN owner TEXT NOT NULL DEFAULT '';
ALTER TABLE sessions ADD COLUMN stop_requested BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE sessions ADD COLUMN seen_at BIGINT NOT NULL DEFAULT 0;

-- Before this, one process kept "one per person" in memory; a crash could
-- leave two rows of one person. Keep the newest.
DELETE FROM sessions
WHERE interaction_id NOT IN (SELECT MAX(interaction_id) FROM sessions GROUP BY user_id);
CREATE UNIQUE INDEX sessions_one_per_person ON sessions (user_id);
