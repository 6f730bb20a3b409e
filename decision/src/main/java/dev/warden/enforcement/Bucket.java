package dev.warden.enforcement;

import java.util.Map;
import java.util.function.BiConsumer;

/**
 * An immutable open-addressing table from subscription to its compiled restrictions, comparing
 * the cached hash before the string, so that a miss (the common case: most subscriptions are not
 * restricted) costs a few int compares and no string compare.
 */
final class Bucket {
    static final Bucket EMPTY = new Bucket(Map.of());

    private final int[] hashes;
    private final String[] keys;
    private final Compiled[][] values;
    private final int mask;

    Bucket(Map<String, Compiled[]> entries) {
        int capacity = Integer.highestOneBit(Math.max(1, entries.size() * 2 - 1)) << 1;
        hashes = new int[capacity];
        keys = new String[capacity];
        values = new Compiled[capacity][];
        mask = capacity - 1;
        entries.forEach((k, v) -> {
            int h = spread(k.hashCode());
            int i = h & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            hashes[i] = h;
            keys[i] = k;
            values[i] = v;
        });
    }

    Compiled[] get(String key) {
        int h = spread(key.hashCode());
        for (int i = h & mask; ; i = (i + 1) & mask) {
            String k = keys[i];
            if (k == null) {
                return null;
            }
            if (hashes[i] == h && k.equals(key)) {
                return values[i];
            }
        }
    }

    void forEach(BiConsumer<String, Compiled[]> action) {
        for (int i = 0; i < keys.length; i++) {
            if (keys[i] != null) {
                action.accept(keys[i], values[i]);
            }
        }
    }

    /** Bits above the 12 the bucket index takes, mixed, so that keys of one bucket spread here. */
    private static int spread(int h) {
        h ^= h >>> 16;
        return (h * 0x9E3779B9) >>> 12 | 1;
    }
}
