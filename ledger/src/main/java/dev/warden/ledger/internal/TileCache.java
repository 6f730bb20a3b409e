package dev.warden.ledger.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A bounded least-recently-used cache of full tiles. Full tiles never change
 * (tlog-tiles §Hash tiles), so entries are never invalidated, only evicted.
 * Thread-safe.
 */
public final class TileCache {
    private final Map<Long, TileNodes> map;

    public TileCache(int capacity) {
        this.map = new LinkedHashMap<>(Math.max(16, capacity), 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, TileNodes> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The tile at (level, index) if it is cached, else null. */
    public TileNodes peek(int level, long index) {
        synchronized (map) {
            return map.get(((long) level << 56) | index);
        }
    }

    /** The tile at (level, index), loading it with {@code loader} on a miss. */
    public TileNodes get(int level, long index, Supplier<TileNodes> loader) {
        long key = ((long) level << 56) | index;
        synchronized (map) {
            TileNodes t = map.get(key);
            if (t != null) {
                return t;
            }
        }
        TileNodes loaded = loader.get();
        synchronized (map) {
            map.put(key, loaded);
        }
        return loaded;
    }
}
