package dev.warden.ledger.internal;

import dev.warden.ledger.tile.TileId;
import dev.warden.ledger.tree.Hash;
import dev.warden.ledger.tree.Hasher;

/**
 * A full hash tile with every interior node of its 8-level subtree, computed once, so that a
 * proof reads its hashes instead of rehashing up to 255 of them per tile.
 * Row r (0..8) holds 256 >> r nodes; node j of row r is the perfect subtree over hashes
 * [j·2^r, (j+1)·2^r) of the tile (RFC 9162 §2.1.1, even splits).
 */
public final class TileNodes {
    private static final int NODES = 2 * TileId.FULL - 1;
    private final byte[] nodes;

    private TileNodes(byte[] nodes) {
        this.nodes = nodes;
    }

    /** Requires exactly 256 hashes: only full tiles are immutable, and only they are cached. */
    public static TileNodes of(byte[] fullTile) {
        if (fullTile.length != TileId.FULL * Hash.SIZE) {
            throw new IllegalArgumentException("a full tile has " + TileId.FULL * Hash.SIZE
                    + " bytes, not " + fullTile.length);
        }
        byte[] nodes = new byte[NODES * Hash.SIZE];
        System.arraycopy(fullTile, 0, nodes, 0, fullTile.length);
        Hasher hasher = Hasher.get();
        for (int r = 1; r <= TileId.HEIGHT; r++) {
            int below = rowOffset(r - 1);
            int row = rowOffset(r);
            for (int j = 0; j < TileId.FULL >> r; j++) {
                hasher.node(nodes, (below + 2 * j) * Hash.SIZE, (below + 2 * j + 1) * Hash.SIZE,
                        nodes, (row + j) * Hash.SIZE);
            }
        }
        return new TileNodes(nodes);
    }

    /** Node {@code j} of row {@code r}; requires {@code 0 <= r <= 8} and {@code j < 256 >> r}. */
    public Hash node(int r, int j) {
        return Hash.of(nodes, (rowOffset(r) + j) * Hash.SIZE);
    }

    /** The MTH of the whole tile: the hash the level above stores for it. */
    public Hash root() {
        return node(TileId.HEIGHT, 0);
    }

    /** The tile as served: its 256 hashes. */
    public byte[] tile() {
        return java.util.Arrays.copyOf(nodes, TileId.FULL * Hash.SIZE);
    }

    private static int rowOffset(int r) {
        return 2 * TileId.FULL - (2 * TileId.FULL >> r);
    }
}
