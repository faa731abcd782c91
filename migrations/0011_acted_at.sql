-- When a delivery given back at a stop was first tried in a way Discord
-- may have acted on (a timeout, a 5xx, a lost connection): the next
-- process retries it with the same nonce only while Discord still
-- remembers that nonce (`discord.nonce_window_seconds` from this instant).
-- NULL when no such try was made; a claim clears it.
ALTER TABLE checkins ADD COLUMN acted_at BIGINT;
ALTER TABLE waits ADD COLUMN acted_at BIGINT;
ALTER TABLE rituals ADD COLUMN acted_at BIGINT;
