-- The verifiable ledger: C2SP tlog-tiles hash tiles and entry bundles, and the latest signed
-- checkpoint. One SQL subset for SQLite and PostgreSQL; ${bytes} is BLOB or BYTEA.

-- Hash tiles (tlog-tiles §Hash tiles). A partial tile is rewritten in place as it grows;
-- a full one (8,192 bytes) never changes again.
CREATE TABLE ledger_tile (
    level SMALLINT NOT NULL,
    idx   BIGINT   NOT NULL,
    data  ${bytes} NOT NULL,
    PRIMARY KEY (level, idx)
);

-- Entry bundles (tlog-tiles §Entry bundles): 256 length-prefixed entries when full.
CREATE TABLE ledger_bundle (
    idx  BIGINT   NOT NULL PRIMARY KEY,
    data ${bytes} NOT NULL
);

-- The latest checkpoint (tlog-checkpoint). One row; every commit moves it forward by
-- compare-and-set on size, so a second writer that is behind can never fork the log.
CREATE TABLE ledger_checkpoint (
    id   SMALLINT NOT NULL PRIMARY KEY,
    size BIGINT   NOT NULL,
    note TEXT
);

INSERT INTO ledger_checkpoint (id, size, note) VALUES (1, 0, NULL);
