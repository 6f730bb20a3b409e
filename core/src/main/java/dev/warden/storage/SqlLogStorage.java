package dev.warden.storage;

import dev.warden.ledger.storage.LogStorage;
import dev.warden.ledger.storage.LogStorageException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import java.util.Optional;

/**
 * The ledger's tiles, bundles and checkpoint in Warden's SQL database (tables of migration V1).
 * A batch is one transaction: its steps write their own rows (with a savepoint each), then the
 * checkpoint moves by compare-and-set on its size and every tile and bundle of the batch is
 * upserted. Parameterised SQL only.
 *
 * <p>Thread-safe. Durable on return from {@link #commit} as far as the database's commit is
 * (SQLite with {@code synchronous=FULL}, PostgreSQL with {@code synchronous_commit=on}).
 */
public final class SqlLogStorage implements LogStorage {
    private final DataSource dataSource;
    private final Database.Dialect dialect;

    public SqlLogStorage(Database database) {
        this.dataSource = database.dataSource();
        this.dialect = database.dialect();
    }

    @Override
    public Optional<StoredCheckpoint> checkpoint() {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT size, note FROM ledger_checkpoint WHERE id = 1");
             ResultSet rs = s.executeQuery()) {
            if (!rs.next() || rs.getString(2) == null) {
                return Optional.empty();
            }
            return Optional.of(new StoredCheckpoint(rs.getLong(1), rs.getString(2)));
        } catch (SQLException e) {
            throw new LogStorageException("couldn't read the checkpoint: " + e.getMessage(), e);
        }
    }

    @Override
    public Optional<byte[]> tile(boolean entries, int level, long index) {
        String sql = entries ? "SELECT data FROM ledger_bundle WHERE idx = ?"
                : "SELECT data FROM ledger_tile WHERE level = ? AND idx = ?";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (entries) {
                s.setLong(1, index);
            } else {
                s.setInt(1, level);
                s.setLong(2, index);
            }
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LogStorageException("couldn't read " + (entries ? "entry bundle " : "tile " + level + "/")
                    + index + ": " + e.getMessage(), e);
        }
    }

    @Override
    public Transaction begin() {
        Connection c;
        try {
            c = dataSource.getConnection();
            c.setAutoCommit(false);
            if (dialect == Database.Dialect.POSTGRESQL) {
                // Writers queue here, on the checkpoint row, for the whole transaction; on SQLite
                // the IMMEDIATE transaction mode (see Database) takes the write lock at BEGIN.
                try (PreparedStatement s = c.prepareStatement("SELECT size FROM ledger_checkpoint WHERE id = 1 FOR UPDATE")) {
                    s.executeQuery().close();
                }
            }
        } catch (SQLException e) {
            throw new LogStorageException("couldn't begin a ledger transaction: " + e.getMessage(), e);
        }
        return new SqlTransaction(c);
    }

    /** One JDBC transaction, with a stack of savepoints for the steps of a batch. */
    private static final class SqlTransaction implements Transaction {
        private final Connection c;
        private final java.util.ArrayDeque<Savepoint> marks = new java.util.ArrayDeque<>();
        private boolean done;

        SqlTransaction(Connection c) {
            this.c = c;
        }

        @Override
        public Object handle() {
            return c;
        }

        @Override
        public void mark() {
            try {
                marks.push(c.setSavepoint());
            } catch (SQLException e) {
                throw new LogStorageException("couldn't set a savepoint: " + e.getMessage(), e);
            }
        }

        @Override
        public void undoToMark() {
            try {
                Savepoint sp = marks.pop();
                c.rollback(sp);
                c.releaseSavepoint(sp);
            } catch (SQLException e) {
                throw new LogStorageException("couldn't roll back to a savepoint: " + e.getMessage(), e);
            }
        }

        @Override
        public void keepSinceMark() {
            try {
                c.releaseSavepoint(marks.pop());
            } catch (SQLException e) {
                throw new LogStorageException("couldn't release a savepoint: " + e.getMessage(), e);
            }
        }

        @Override
        public void commit(long previousSize, long size, List<TileWrite> writes, String note) {
            try {
                try (PreparedStatement s = c.prepareStatement(
                        "UPDATE ledger_checkpoint SET size = ?, note = ? WHERE id = 1 AND size = ?")) {
                    s.setLong(1, size);
                    s.setString(2, note);
                    s.setLong(3, previousSize);
                    if (s.executeUpdate() != 1) {
                        throw new LogStorageException("couldn't commit batch: the stored log is no longer at size "
                                + previousSize + "; another writer moved it");
                    }
                }
                writeTiles(writes);
                c.commit();
                done = true;
            } catch (SQLException e) {
                throw new LogStorageException("couldn't commit batch of size " + previousSize + " to " + size
                        + ": " + e.getMessage(), e);
            }
        }

        private void writeTiles(List<TileWrite> writes) throws SQLException {
            try (PreparedStatement tiles = c.prepareStatement("INSERT INTO ledger_tile (level, idx, data) "
                    + "VALUES (?, ?, ?) ON CONFLICT (level, idx) DO UPDATE SET data = excluded.data");
                 PreparedStatement bundles = c.prepareStatement("INSERT INTO ledger_bundle (idx, data) "
                         + "VALUES (?, ?) ON CONFLICT (idx) DO UPDATE SET data = excluded.data")) {
                boolean anyTile = false;
                boolean anyBundle = false;
                for (TileWrite w : writes) {
                    if (w.entries()) {
                        bundles.setLong(1, w.index());
                        bundles.setBytes(2, w.data());
                        bundles.addBatch();
                        anyBundle = true;
                    } else {
                        tiles.setInt(1, w.level());
                        tiles.setLong(2, w.index());
                        tiles.setBytes(3, w.data());
                        tiles.addBatch();
                        anyTile = true;
                    }
                }
                if (anyTile) {
                    tiles.executeBatch();
                }
                if (anyBundle) {
                    bundles.executeBatch();
                }
            }
        }

        @Override
        public void close() {
            try {
                if (!done) {
                    c.rollback();
                }
                c.setAutoCommit(true);
            } catch (SQLException e) {
                // the connection is unusable; closing it below returns it to the pool, which evicts it
            } finally {
                try {
                    c.close();
                } catch (SQLException ignored) {
                    // nothing more to release
                }
            }
        }
    }

    /** The store does not own the database; closing the {@link Database} releases it. */
    @Override
    public void close() {
    }
}
