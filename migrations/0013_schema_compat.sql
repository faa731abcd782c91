-- Which builds may use this database (docs/SCALING.md, "Upgrades"). One
-- row: `requires` is the oldest migration a build must know to open it.
-- A build that finds migrations newer than its own starts only when it
-- knows this one (the changes since were additive); otherwise it refuses,
-- naming both. Additive migrations leave it alone; a contract migration
-- (a drop, a rename, a new meaning for old values) raises it to the newest
-- migration of the first release whose code no longer needs what it
-- removes. 13 here: builds before this one refuse any migration they do
-- not know, so none of them reads it.
CREATE TABLE schema_compat (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    requires BIGINT NOT NULL
);
INSERT INTO schema_compat (id, requires) VALUES (1, 13);
