package dev.warden.ledger.storage;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Storage in memory: for tests, benchmarks and throwaway logs. Not durable across processes.
 * A test can make the next commits fail with {@link #failNextCommits(int)}.
 */
public final class MemoryLogStorage implements LogStorage {
    private final Map<Key, byte[]> tiles = new ConcurrentHashMap<>();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile StoredCheckpoint checkpoint;

    private record Key(boolean entries, int level, long index) {
    }

    @Override
    public Optional<StoredCheckpoint> checkpoint() {
        return Optional.ofNullable(checkpoint);
    }

    @Override
    public Optional<byte[]> tile(boolean entries, int level, long index) {
        byte[] data = tiles.get(new Key(entries, level, index));
        return Optional.ofNullable(data == null ? null : data.clone());
    }

    @Override
    public Transaction begin() {
        return new Transaction() {
            @Override
            public Object handle() {
                return null;
            }

            @Override
            public void mark() {
            }

            @Override
            public void undoToMark() {
            }

            @Override
            public void keepSinceMark() {
            }

            @Override
            public void commit(long previousSize, long size, List<TileWrite> writes, String note) {
                apply(previousSize, size, writes, note);
            }

            @Override
            public void close() {
            }
        };
    }

    private synchronized void apply(long previousSize, long size, List<TileWrite> writes, String note) {
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new LogStorageException("couldn't commit batch: injected failure");
        }
        long stored = checkpoint == null ? 0 : checkpoint.size();
        if (stored != previousSize) {
            throw new LogStorageException("couldn't commit batch: log is at size " + stored
                    + ", the batch expected " + previousSize);
        }
        for (TileWrite w : writes) {
            tiles.put(new Key(w.entries(), w.level(), w.index()), w.data().clone());
        }
        checkpoint = new StoredCheckpoint(size, note);
    }

    /** Makes the next {@code n} commits fail without writing anything. */
    public void failNextCommits(int n) {
        failures.set(n);
    }

    @Override
    public void close() {
    }
}
