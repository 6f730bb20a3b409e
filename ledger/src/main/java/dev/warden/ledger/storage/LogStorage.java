package dev.warden.ledger.storage;

import java.util.List;
import java.util.Optional;

/**
 * Where a log keeps its tiles, entry bundles and latest checkpoint.
 *
 * <p>Contract, for every implementation:
 * <ul>
 *   <li><b>Thread safety.</b> All methods may be called concurrently; one writer commits at a
 *   time (the {@link dev.warden.ledger.Ledger} sequencer), readers run beside it.</li>
 *   <li><b>Atomicity.</b> {@link #commit} writes every tile, every bundle and the checkpoint of
 *   a batch, or none of them.</li>
 *   <li><b>Durability.</b> When {@link #commit} returns, the batch survives a crash of the
 *   process (and, for the SQL stores, of the machine: the transaction is synced).</li>
 *   <li><b>Isolation.</b> Reads see committed state only.</li>
 *   <li><b>Single history.</b> {@link #commit} refuses a batch whose {@code previousSize} is not
 *   the stored size, so two writers can never fork the log.</li>
 * </ul>
 */
public interface LogStorage extends AutoCloseable {

    /** The latest committed checkpoint, or empty for a log that was never written. */
    Optional<StoredCheckpoint> checkpoint();

    /**
     * The stored bytes of a hash tile (level &ge; 0) or, for {@code entries}, an entry bundle:
     * the full tile, or the latest partial one, which is a prefix of every later version.
     */
    Optional<byte[]> tile(boolean entries, int level, long index);

    /**
     * Begins the one write transaction of a batch. The sequencer runs every step of the batch in
     * it, then {@link Transaction#commit commits} the new tiles and checkpoint with them.
     *
     * @throws LogStorageException if the store cannot start a transaction
     */
    Transaction begin();

    /**
     * Atomically and durably stores {@code tiles} and replaces the checkpoint, in a transaction
     * of its own.
     *
     * @throws LogStorageException if the store fails or another writer moved the log on
     */
    default void commit(long previousSize, long size, List<TileWrite> tiles, String checkpoint) {
        try (Transaction tx = begin()) {
            tx.commit(previousSize, size, tiles, checkpoint);
        }
    }

    /**
     * A write transaction. Not thread-safe: the sequencer thread alone uses it. Closing it without
     * {@link #commit} rolls everything back.
     */
    interface Transaction extends AutoCloseable {
        /**
         * The store's own handle on the transaction, so that a step can write its rows in it:
         * a {@code java.sql.Connection} for SQL stores, {@code null} for the memory store.
         */
        Object handle();

        /** Opens a nested unit (an SQL savepoint) that {@link #undoToMark()} can undo alone. */
        void mark();

        /** Undoes everything since the last {@link #mark()}. */
        void undoToMark();

        /** Keeps everything since the last {@link #mark()}. */
        void keepSinceMark();

        /**
         * Writes {@code tiles}, moves the checkpoint by compare-and-set from {@code previousSize},
         * and commits durably.
         *
         * @throws LogStorageException if the store fails or another writer moved the log on;
         *     nothing of the transaction is kept then
         */
        void commit(long previousSize, long size, List<TileWrite> tiles, String checkpoint);

        @Override
        void close();
    }

    @Override
    void close();

    /** A checkpoint as stored: the tree size it signs and its signed-note text. */
    record StoredCheckpoint(long size, String note) {
    }

    /** The new content of one tile or bundle. */
    record TileWrite(boolean entries, int level, long index, byte[] data) {
    }
}
