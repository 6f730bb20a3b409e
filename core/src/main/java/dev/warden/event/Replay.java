package dev.warden.event;

import dev.warden.ledger.note.VerifierKey;
import dev.warden.ledger.tile.EntryBundle;
import dev.warden.ledger.tile.TileId;
import dev.warden.ledger.tree.Hash;
import dev.warden.ledger.verifier.LogVerifier;
import dev.warden.ledger.verifier.VerificationException;
import dev.warden.storage.Database;
import dev.warden.storage.SqlLogStorage;
import dev.warden.storage.StoredTileSource;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/**
 * {@code warden audit replay}: verifies the stored ledger, then rebuilds every projection in an
 * empty database from the ledger's envelopes and the private bodies alone, each body checked
 * against its envelope, and compares the digest of the rebuilt state with the live one.
 */
public final class Replay {
    private Replay() {
    }

    /** What a replay found. */
    public record Result(long events, Hash replayed, Hash live) {
        public boolean matches() {
            return replayed.equals(live);
        }
    }

    /**
     * @param source the live database
     * @param key    the log's verifier key
     * @param target an empty database (migrated, nothing written)
     * @throws IllegalStateException if the ledger does not verify, or a body does not match its envelope
     */
    public static Result run(Database source, VerifierKey key, Database target) {
        SqlLogStorage storage = new SqlLogStorage(source);
        long size;
        try {
            size = LogVerifier.of(new StoredTileSource(storage), key).verify(Optional.empty()).checkpoint().size();
        } catch (VerificationException e) {
            throw new IllegalStateException("couldn't replay: the ledger does not verify: " + e.getMessage(), e);
        }
        try (Connection from = source.dataSource().getConnection(); Connection to = target.dataSource().getConnection()) {
            to.setAutoCommit(false);
            for (long b = 0; b * TileId.FULL < size; b++) {
                int width = TileId.widthAt(0, b, size);
                byte[] bundle = storage.tile(true, 0, b).orElseThrow();
                List<byte[]> entries = EntryBundle.decode(bundle, width);
                for (int i = 0; i < width; i++) {
                    long idx = b * TileId.FULL + i;
                    apply(from, to, idx, entries.get(i));
                }
            }
            to.commit();
            Hash replayed = StateDigest.of(to);
            Hash live = StateDigest.of(from);
            return new Result(size, replayed, live);
        } catch (SQLException e) {
            throw new IllegalStateException("couldn't replay: " + e.getMessage(), e);
        }
    }

    private static void apply(Connection from, Connection to, long idx, byte[] entry) {
        Envelope envelope;
        try {
            envelope = Envelope.decode(entry);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("couldn't replay entry " + idx + ": " + e.getMessage(), e);
        }
        byte[][] row = bodyRow(from, idx);
        if (row == null) {
            throw new IllegalStateException("couldn't replay entry " + idx + " (" + envelope.type() + "): its body is missing");
        }
        EventCodec.Body body;
        try {
            body = EventCodec.open(envelope, row[0], row[1]);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("couldn't replay entry " + idx + ": " + e.getMessage(), e);
        }
        Projector.apply(to, idx, body);
    }

    private static byte[][] bodyRow(Connection c, long idx) {
        try (var s = c.prepareStatement("SELECT salt, body FROM event_body WHERE idx = ?")) {
            s.setLong(1, idx);
            try (var rs = s.executeQuery()) {
                return rs.next() ? new byte[][] {rs.getBytes(1), rs.getBytes(2)} : null;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("couldn't read the body of entry " + idx + ": " + e.getMessage(), e);
        }
    }
}
