package dev.warden.ledger.internal;

import dev.warden.ledger.tile.EntryBundle;
import dev.warden.ledger.tile.TileId;
import dev.warden.ledger.tree.CompactRange;
import dev.warden.ledger.tree.Hash;
import dev.warden.ledger.tree.Hasher;
import dev.warden.ledger.storage.LogStorage.TileWrite;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The growing edge of a tiled log at one tree size: the partial hash tile of every level, the
 * partial entry bundle, and the compact range that yields the root. Everything left of it lives
 * in full tiles, which never change.
 *
 * <p>Immutable once built; {@link #append} returns a new edge and the tile writes that take the
 * store from this edge to the new one (copy-on-write, so readers keep a consistent snapshot).
 */
public final class RightEdge {
    /** 256^8 = 2^64 leaves: no tree of long size needs more levels. */
    public static final int LEVELS = 8;

    private final long size;
    private final byte[][] partial;
    private final byte[] bundle;
    private final CompactRange range;

    public RightEdge(long size, byte[][] partial, byte[] bundle, CompactRange range) {
        this.size = size;
        this.partial = partial;
        this.bundle = bundle;
        this.range = range;
    }

    public static RightEdge empty() {
        byte[][] partial = new byte[LEVELS][];
        Arrays.fill(partial, new byte[0]);
        return new RightEdge(0, partial, new byte[0], new CompactRange());
    }

    /**
     * Rebuilds the edge of a stored log of {@code size} leaves from its partial tiles, without
     * rehashing the tree: each partial tile's hashes group into perfect subtrees along the binary
     * digits of its width, and those subtrees, largest first, are the compact range
     * (RFC 9162 §2.1.1).
     *
     * @param partialTiles the stored partial tile of each level (or a longer version of it)
     * @param partialBundle the stored partial entry bundle (or a longer version of it)
     */
    public static RightEdge restore(long size, byte[][] partialTiles, byte[] partialBundle) {
        byte[][] partial = new byte[LEVELS][];
        CompactRange range = rangeOf(size, partialTiles, partial);
        int entries = (int) (size & (TileId.FULL - 1));
        byte[] bundle = Arrays.copyOf(partialBundle, EntryBundle.prefixLength(partialBundle, entries));
        return new RightEdge(size, partial, bundle, range);
    }

    /**
     * The root of a tree of {@code size} leaves from its partial tiles alone (one per level, each
     * at least as wide as that size needs; see {@link #restore}).
     */
    public static Hash root(long size, byte[][] partialTiles) {
        return rangeOf(size, partialTiles, new byte[LEVELS][]).root();
    }

    /** The compact range of {@code size} from its partial tiles; stores the exact-width tiles in {@code out}. */
    private static CompactRange rangeOf(long size, byte[][] partialTiles, byte[][] out) {
        CompactRange range = new CompactRange();
        Hasher hasher = Hasher.get();
        for (int level = LEVELS - 1; level >= 0; level--) {
            int width = partialWidth(level, size);
            byte[] stored = partialTiles[level] == null ? new byte[0] : partialTiles[level];
            if (stored.length < width * Hash.SIZE) {
                throw new IllegalStateException("the partial tile at level " + level + " holds "
                        + stored.length / Hash.SIZE + " hashes, the checkpoint needs " + width);
            }
            out[level] = Arrays.copyOf(stored, width * Hash.SIZE);
            int offset = 0;
            for (int bit = TileId.HEIGHT - 1; bit >= 0; bit--) {
                if ((width & (1 << bit)) != 0) {
                    range.appendSubtree(hasher.perfectSubtree(out[level], offset * Hash.SIZE, 1 << bit),
                            TileId.HEIGHT * level + bit);
                    offset += 1 << bit;
                }
            }
        }
        return range;
    }

    /** The number of hashes in the partial tile of {@code level} at {@code size} (0 if none). */
    public static int partialWidth(int level, long size) {
        return level * TileId.HEIGHT >= 64 ? 0 : (int) ((size >>> (TileId.HEIGHT * level)) & (TileId.FULL - 1));
    }

    public long size() {
        return size;
    }

    public Hash root() {
        return range.root();
    }

    /** The partial tile of {@code level}, as bytes (empty if the level has none); do not mutate. */
    public byte[] partialTile(int level) {
        return partial[level];
    }

    /** The partial entry bundle (empty if none); do not mutate. */
    public byte[] partialBundle() {
        return bundle;
    }

    /** The result of appending a batch: the new edge and what the store must write. */
    public record Growth(RightEdge edge, List<TileWrite> writes, List<FullTile> completed) {
    }

    /** A hash tile that became full in this batch, with its interior nodes. */
    public record FullTile(int level, long index, TileNodes nodes) {
    }

    /**
     * Appends {@code entries} in order. Each leaf costs one leaf hash, one amortised merge in the
     * compact range, and, once per 256 leaves of a level, the 255 hashes of a finished tile:
     * nothing to the left of the edge is ever rehashed.
     */
    public Growth append(List<byte[]> entries) {
        Hasher hasher = Hasher.get();
        byte[][] tiles = new byte[LEVELS][];
        int[] fill = new int[LEVELS];
        long[] count = new long[LEVELS];
        boolean[] touched = new boolean[LEVELS];
        for (int level = 0; level < LEVELS; level++) {
            tiles[level] = new byte[TileId.FULL * Hash.SIZE];
            System.arraycopy(partial[level], 0, tiles[level], 0, partial[level].length);
            fill[level] = partial[level].length / Hash.SIZE;
            count[level] = size >>> (TileId.HEIGHT * level);
        }
        ByteArrayOutputStream bundleOut = new ByteArrayOutputStream(bundle.length + entries.size() * 64);
        bundleOut.write(bundle, 0, bundle.length);
        int bundleCount = (int) (size & (TileId.FULL - 1));
        boolean bundleTouched = false;
        List<TileWrite> writes = new ArrayList<>();
        List<FullTile> completed = new ArrayList<>();
        CompactRange next = range.copy();
        long n = size;
        for (byte[] entry : entries) {
            EntryBundle.append(bundleOut, entry);
            bundleCount++;
            bundleTouched = true;
            if (bundleCount == TileId.FULL) {
                writes.add(new TileWrite(true, 0, n >>> TileId.HEIGHT, bundleOut.toByteArray()));
                bundleOut.reset();
                bundleCount = 0;
                bundleTouched = false;
            }
            byte[] leaf = hasher.leafBytes(entry, 0, entry.length);
            next.append(new Hash(leaf));
            // Push the leaf into level 0; a tile that fills pushes its root one level up.
            byte[] carry = leaf;
            for (int level = 0; carry != null; level++) {
                System.arraycopy(carry, 0, tiles[level], fill[level] * Hash.SIZE, Hash.SIZE);
                fill[level]++;
                count[level]++;
                touched[level] = true;
                carry = null;
                if (fill[level] == TileId.FULL) {
                    long index = (count[level] - 1) >>> TileId.HEIGHT;
                    TileNodes nodes = TileNodes.of(tiles[level]);
                    writes.add(new TileWrite(false, level, index, tiles[level].clone()));
                    completed.add(new FullTile(level, index, nodes));
                    carry = nodes.root().bytes();
                    fill[level] = 0;
                    touched[level] = false;
                }
            }
            n++;
        }
        byte[][] newPartial = new byte[LEVELS][];
        for (int level = 0; level < LEVELS; level++) {
            newPartial[level] = Arrays.copyOf(tiles[level], fill[level] * Hash.SIZE);
            if (touched[level] && fill[level] > 0) {
                writes.add(new TileWrite(false, level, count[level] >>> TileId.HEIGHT, newPartial[level].clone()));
            }
        }
        byte[] newBundle = bundleOut.toByteArray();
        if (bundleTouched && bundleCount > 0) {
            writes.add(new TileWrite(true, 0, n >>> TileId.HEIGHT, newBundle.clone()));
        }
        return new Growth(new RightEdge(n, newPartial, newBundle, next), writes, completed);
    }
}
