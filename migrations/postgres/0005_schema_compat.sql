-- SQLite's migration 0013: the oldest migration a build must know to use
-- this database (its comments say why), in PostgreSQL's own numbering.
CREATE TABLE schema_compat (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    requires BIGINT NOT NULL
);
INSERT INTO schema_compat (id, requires) VALUES (1, 5);
