package dev.warden.ledger.verifier;

import dev.warden.ledger.tile.TileId;

import java.io.IOException;

/**
 * Where a verifier reads a log from: the checkpoint and the tiles of C2SP tlog-tiles. The
 * verifier trusts nothing it reads from here.
 */
public interface TileSource {
    /** The latest signed checkpoint text, as served at {@code <prefix>/checkpoint}. */
    String checkpoint() throws IOException;

    /** The bytes of a tile or entry bundle, as served at {@code <prefix>/<id.path()>}. */
    byte[] tile(TileId id) throws IOException;
}
