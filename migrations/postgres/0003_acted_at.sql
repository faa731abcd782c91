-- SQLite's migration 0011: when a delivery given back at a stop was first
-- tried in a way Discord may have acted on (its comments say why).
ALTER TABLE checkins ADD COLUMN acted_at BIGINT;
ALTER TABLE waits ADD COLUMN acted_at BIGINT;
ALTER TABLE rituals ADD COLUMN acted_at BIGINT;
