package dev.warden.storage;

import dev.warden.ledger.storage.LogStorage;
import dev.warden.ledger.storage.LogStorageException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * The ledger's tiles, bundles and checkpoint in Warden's SQL database (tables of migration V1).
 * A commit is one transaction: the checkpoint moves by compare-and-set on its size, then every
 * tile and bundle of the batch is upserted. Parameterised SQL only.
 *
 * <p>Thread-safe. Durable on return from {@link #commit} as far as the database's commit is
 * (SQLite with {@code synchronous=FULL}, PostgreSQL with {@code synchronous_commit=on}).
 */
public final class SqlLogStorage implements LogStorage {
    private final DataSource dataSource;

    public SqlLogStorage(Database database) {
        this.dataSource = database.dataSource();
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
    public void commit(long previousSize, long size, List<TileWrite> writes, String note) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                // The checkpoint first: it takes the write lock, and refuses a writer that is behind.
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
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new LogStorageException("couldn't commit batch of size " + previousSize + " to " + size
                    + ": " + e.getMessage(), e);
        }
    }

    /** The store does not own the database; closing the {@link Database} releases it. */
    @Override
    public void close() {
    }
}
