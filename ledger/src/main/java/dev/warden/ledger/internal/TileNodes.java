package dev.warden.ledger.internal;

import dev.warden.ledger.tile.TileId;
import dev.warden.ledger.tree.Hash;
import dev.warden.ledger.tree.Hasher;

/**
 * A hash tile with every perfect subtree inside it, computed once, so that a proof reads its
 * hashes instead of rehashing up to 255 of them per tile.
 * Row r (0..8) holds the nodes j with {@code (j+1)·2^r <= width}; node j of row r is the perfect
 * subtree over hashes [j·2^r, (j+1)·2^r) of the tile (RFC 9162 §2.1.1, even splits).
 * Immutable.
 */
public final class TileNodes {
    private static final int NODES = 2 * TileId.FULL - 1;
    private final byte[] nodes;
    private final int width;

    private TileNodes(byte[] nodes, int width) {
        this.nodes = nodes;
        this.width = width;
    }

    /** Requires 1 to 256 hashes: a full tile, or a partial one at a fixed width. */
    public static TileNodes of(byte[] tile) {
        int width = tile.length / Hash.SIZE;
        if (tile.length % Hash.SIZE != 0 || width < 1 || width > TileId.FULL) {
            throw new IllegalArgumentException("a tile holds 1 to 256 hashes, not " + tile.length + " bytes");
        }
        byte[] nodes = new byte[NODES * Hash.SIZE];
        System.arraycopy(tile, 0, nodes, 0, tile.length);
        Hasher hasher = Hasher.get();
        for (int r = 1; r <= TileId.HEIGHT; r++) {
            int below = rowOffset(r - 1);
            int row = rowOffset(r);
            for (int j = 0; j < width >> r; j++) {
                hasher.node(nodes, (below + 2 * j) * Hash.SIZE, (below + 2 * j + 1) * Hash.SIZE,
                        nodes, (row + j) * Hash.SIZE);
            }
        }
        return new TileNodes(nodes, width);
    }

    /** Node {@code j} of row {@code r}; requires {@code 0 <= r <= 8} and {@code (j+1)·2^r <= width}. */
    public Hash node(int r, int j) {
        if (r < 0 || r > TileId.HEIGHT || j < 0 || (j + 1) << r > width) {
            throw new IllegalArgumentException("no perfect subtree (" + r + ", " + j + ") in a tile of width " + width);
        }
        return Hash.of(nodes, (rowOffset(r) + j) * Hash.SIZE);
    }

    /** The MTH of a full tile: the hash the level above stores for it. */
    public Hash root() {
        return node(TileId.HEIGHT, 0);
    }

    /** The tile as served: its hashes. */
    public byte[] tile() {
        return java.util.Arrays.copyOf(nodes, width * Hash.SIZE);
    }

    private static int rowOffset(int r) {
        return 2 * TileId.FULL - (2 * TileId.FULL >> r);
    }
}
