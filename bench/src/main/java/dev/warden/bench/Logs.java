package dev.warden.bench;

import dev.warden.ledger.Ledger;
import dev.warden.ledger.note.SignerKey;
import dev.warden.ledger.storage.LogStorage;

import java.util.concurrent.CompletableFuture;

/** Builds benchmark logs of a given size from synthetic public envelopes. */
final class Logs {
    private Logs() {
    }

    static byte[] envelope(long i) {
        return ("{\"v\":1,\"type\":\"evidence.read\",\"at\":\"2026-11-28T12:00:00Z\",\"seq\":" + i
                + ",\"bodyHash\":\"q2zCkDXmz0zVQe5LzlkxB5cC3Y6mH2tD8vR4iJb8KQ0=\"}").getBytes();
    }

    /** Appends {@code size} envelopes through the ledger, in pipelined chunks. */
    static Ledger filled(LogStorage storage, SignerKey key, long size, int cachedTiles) {
        Ledger ledger = Ledger.open(storage, key, new Ledger.Options(4096, cachedTiles));
        long i = 0;
        while (i < size) {
            CompletableFuture<Long> last = null;
            long end = Math.min(size, i + 65_536);
            for (; i < end; i++) {
                last = ledger.appendAsync(envelope(i));
            }
            last.join();
        }
        return ledger;
    }
}
