package dev.warden.ledger.verifier;

import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.checkpoint.CheckpointException;
import dev.warden.ledger.internal.RightEdge;
import dev.warden.ledger.note.VerifierKey;
import dev.warden.ledger.tile.EntryBundle;
import dev.warden.ledger.tile.TileId;
import dev.warden.ledger.tree.Hash;
import dev.warden.ledger.tree.Hasher;

import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Verifies a whole tiled log from its public tiles: the checkpoint's signature, every entry
 * bundle against the level-0 hash tiles, every tile against the level below, the root against
 * the checkpoint, and, given a checkpoint accepted earlier, that the log still extends it.
 *
 * <p>Nothing read is trusted: every byte of every tile and bundle takes part in a comparison,
 * so a single flipped byte anywhere fails verification. Not thread-safe; cheap to create.
 */
public final class LogVerifier {
    private final TileSource source;
    private final VerifierKey key;

    private LogVerifier(TileSource source, VerifierKey key) {
        this.source = source;
        this.key = key;
    }

    public static LogVerifier of(TileSource source, VerifierKey key) {
        return new LogVerifier(source, key);
    }

    /** What a successful verification saw. */
    public record Result(Checkpoint checkpoint, String note, long tiles, long bundles) {
    }

    /**
     * Fetches and verifies the log.
     *
     * @param previous the signed checkpoint accepted last time, if any; the log must extend it
     * @throws VerificationException saying what diverged
     */
    public Result verify(Optional<String> previous) throws VerificationException {
        String note;
        try {
            note = source.checkpoint();
        } catch (IOException e) {
            throw new VerificationException(VerificationException.Kind.UNREACHABLE,
                    "couldn't fetch checkpoint: " + e.getMessage(), e);
        }
        Checkpoint cp = open(note, "checkpoint served by the log");
        Checkpoint old = null;
        if (previous.isPresent()) {
            old = open(previous.get(), "checkpoint accepted earlier");
            if (cp.size() < old.size()) {
                throw new VerificationException(VerificationException.Kind.ROLLED_BACK,
                        "couldn't verify log \"" + cp.origin() + "\": rolled back: it now has " + cp.size()
                                + " entries, a checkpoint accepted earlier had " + old.size()
                                + "\nhint: the log dropped entries it had published; keep the earlier checkpoint as evidence");
            }
        }
        return walk(cp, note, old);
    }

    private Result walk(Checkpoint cp, String note, Checkpoint old) throws VerificationException {
        long size = cp.size();
        int levels = RightEdge.LEVELS;
        // Per level: the hashes implied by the level below, filled as we stream left to right.
        byte[][] expected = new byte[levels][TileId.FULL * Hash.SIZE];
        int[] fill = new int[levels];
        long[] tileIndex = new long[levels];
        // Per level: the tile that holds the right edge of the earlier checkpoint, for its root.
        byte[][] oldEdge = new byte[levels][];
        Hasher hasher = Hasher.get();
        long tiles = 0;
        long bundles = 0;
        long bundleCount = (size + TileId.FULL - 1) >>> TileId.HEIGHT;
        for (long b = 0; b < bundleCount; b++) {
            int width = TileId.widthAt(0, b, size);
            TileId bundleId = TileId.bundle(b, width);
            byte[] bundle = fetch(bundleId);
            bundles++;
            int used;
            try {
                used = EntryBundle.prefixLength(bundle, width);
            } catch (IllegalArgumentException e) {
                throw content(bundleId, e.getMessage());
            }
            if (used != bundle.length) {
                throw content(bundleId, "it has " + (bundle.length - used) + " bytes after its " + width + " entries");
            }
            int at = 0;
            for (int i = 0; i < width; i++) {
                int len = ((bundle[at] & 0xFF) << 8) | (bundle[at + 1] & 0xFF);
                hasher.leafBytesInto(bundle, at + 2, len, expected[0], i * Hash.SIZE);
                at += 2 + len;
            }
            fill[0] = width;
            tileIndex[0] = b;
            tiles += checkLevel(0, expected, fill, tileIndex, size, old, oldEdge);
        }
        // The tiles on the right edge of each level above 0 may be partial; check those too.
        for (int level = 1; level < levels; level++) {
            if (fill[level] > 0) {
                tiles += checkTile(level, tileIndex[level], fill[level], expected[level], size, old, oldEdge);
            }
        }
        byte[][] edge = new byte[levels][];
        for (int level = 0; level < levels; level++) {
            edge[level] = Arrays.copyOf(expected[level], fill[level] == TileId.FULL ? 0 : fill[level] * Hash.SIZE);
        }
        Hash root = edgeRoot(cp, size, edge);
        if (!root.equals(cp.root())) {
            throw new VerificationException(VerificationException.Kind.CONTENT,
                    "couldn't verify log \"" + cp.origin() + "\": its tiles give root " + root + " at size " + size
                            + ", the signed checkpoint says " + cp.root());
        }
        if (old != null && old.size() > 0) {
            Hash oldRoot = edgeRoot(cp, old.size(), oldEdge);
            if (!oldRoot.equals(old.root())) {
                throw new VerificationException(VerificationException.Kind.FORKED,
                        "couldn't verify log \"" + cp.origin() + "\": forked: its first " + old.size()
                                + " entries now have root " + oldRoot + ", a checkpoint accepted earlier signed "
                                + old.root() + "\nhint: the log rewrote history it had published;"
                                + " keep both checkpoints as evidence");
            }
        }
        return new Result(cp, note, tiles, bundles);
    }

    /** The root at {@code size} from the verified edge tiles; a missing tile fails verification. */
    private static Hash edgeRoot(Checkpoint cp, long size, byte[][] edge) throws VerificationException {
        try {
            return RightEdge.root(size, edge);
        } catch (IllegalStateException e) {
            throw new VerificationException(VerificationException.Kind.CONTENT,
                    "couldn't verify log \"" + cp.origin() + "\" at size " + size + ": " + e.getMessage(), e);
        }
    }

    /**
     * Checks the tile just completed at {@code level} (full, or the last partial one at level 0)
     * and carries a full tile's root into the level above.
     */
    private long checkLevel(int level, byte[][] expected, int[] fill, long[] tileIndex, long size,
            Checkpoint old, byte[][] oldEdge) throws VerificationException {
        long checked = checkTile(level, tileIndex[level], fill[level], expected[level], size, old, oldEdge);
        if (fill[level] == TileId.FULL) {
            int up = level + 1;
            Hash root = Hasher.get().perfectSubtree(expected[level], 0, TileId.FULL);
            root.copyInto(expected[up], fill[up] * Hash.SIZE);
            fill[up]++;
            tileIndex[up] = tileIndex[level] >>> TileId.HEIGHT;
            fill[level] = 0;
            if (fill[up] == TileId.FULL) {
                checked += checkLevel(up, expected, fill, tileIndex, size, old, oldEdge);
            }
        }
        return checked;
    }

    private long checkTile(int level, long index, int width, byte[] expected, long size,
            Checkpoint old, byte[][] oldEdge) throws VerificationException {
        TileId id = TileId.hashes(level, index, width);
        byte[] served = fetch(id);
        if (served.length != width * Hash.SIZE
                || !Arrays.equals(served, 0, served.length, expected, 0, width * Hash.SIZE)) {
            throw content(id, describeMismatch(served, expected, width));
        }
        if (old != null && old.size() > 0 && index == (old.size() >>> (TileId.HEIGHT * (level + 1)))
                && level * TileId.HEIGHT < 64) {
            oldEdge[level] = Arrays.copyOf(expected, width * Hash.SIZE);
        }
        return 1;
    }

    private static String describeMismatch(byte[] served, byte[] expected, int width) {
        if (served.length != width * Hash.SIZE) {
            return "it has " + served.length + " bytes, " + width + " hashes need " + width * Hash.SIZE;
        }
        int i = Arrays.mismatch(served, 0, served.length, expected, 0, served.length);
        return "hash " + i / Hash.SIZE + " is " + HexFormat.of().formatHex(served, i / Hash.SIZE * Hash.SIZE,
                i / Hash.SIZE * Hash.SIZE + Hash.SIZE) + " but the level below gives "
                + HexFormat.of().formatHex(expected, i / Hash.SIZE * Hash.SIZE, i / Hash.SIZE * Hash.SIZE + Hash.SIZE);
    }

    private byte[] fetch(TileId id) throws VerificationException {
        try {
            return source.tile(id);
        } catch (IOException e) {
            throw new VerificationException(VerificationException.Kind.UNREACHABLE,
                    "couldn't fetch " + id.path() + ": " + e.getMessage(), e);
        }
    }

    private Checkpoint open(String note, String what) throws VerificationException {
        try {
            return Checkpoint.open(note, key);
        } catch (CheckpointException e) {
            throw new VerificationException(VerificationException.Kind.CHECKPOINT,
                    "couldn't verify " + what + ": " + e.getMessage(), e);
        }
    }

    private static VerificationException content(TileId id, String why) {
        return new VerificationException(VerificationException.Kind.CONTENT,
                "couldn't verify " + id.path() + ": " + why);
    }
}
