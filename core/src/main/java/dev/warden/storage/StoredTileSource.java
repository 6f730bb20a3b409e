package dev.warden.storage;

import dev.warden.ledger.storage.LogStorage;
import dev.warden.ledger.tile.TileId;
import dev.warden.ledger.verifier.TileSource;

import java.io.IOException;

/**
 * The log exactly as stored, with no cache in between: what an auditor with database access
 * verifies. Each tile is served as its stored row; the verifier checks every byte.
 */
public record StoredTileSource(LogStorage storage) implements TileSource {
    @Override
    public String checkpoint() throws IOException {
        return storage.checkpoint().orElseThrow(() -> new IOException("no checkpoint is stored")).note();
    }

    @Override
    public byte[] tile(TileId id) throws IOException {
        return storage.tile(id.entries(), id.level(), id.index())
                .orElseThrow(() -> new IOException(id.path() + " is not stored"));
    }
}
