package dev.warden.bench;

import dev.warden.ledger.Ledger;
import dev.warden.ledger.note.SignerKey;
import dev.warden.ledger.note.VerifierKey;
import dev.warden.ledger.storage.MemoryLogStorage;
import dev.warden.ledger.tile.TileId;
import dev.warden.ledger.verifier.TileSource;
import dev.warden.ledger.verifier.LogVerifier;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Full-log verification rate in leaves per second, beside its limit measured in the same run:
 * SHA-256 alone over the same entries. The verifier reads every entry bundle and hash tile,
 * hashes every leaf, rebuilds every tile above, and compares every byte and the signed root.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
@State(Scope.Benchmark)
public class VerifyBenchmark {
    static final int SIZE = 1 << 20;

    private Ledger ledger;
    private VerifierKey key;
    private byte[][] entries;
    private TileSource fetched;

    @Setup(Level.Trial)
    public void build() {
        SignerKey signer = SignerKey.generate("bench.warden.local/log");
        key = signer.verifierKey();
        ledger = Logs.filled(new MemoryLogStorage(), signer, SIZE, 4096);
        entries = new byte[SIZE][];
        for (int i = 0; i < SIZE; i++) {
            entries[i] = Logs.envelope(i);
        }
        fetched = prefetch(ledger);
    }

    /** Every tile and bundle of the log, fetched once, so that only the verifier's own work is timed. */
    static TileSource prefetch(Ledger ledger) {
        Map<TileId, byte[]> tiles = new HashMap<>();
        long size = ledger.size();
        for (int level = 0; level < 8; level++) {
            for (long n = 0; TileId.widthAt(level, n, size) > 0; n++) {
                TileId id = TileId.hashes(level, n, TileId.widthAt(level, n, size));
                tiles.put(id, ledger.tile(id).orElseThrow());
                if (level == 0) {
                    TileId bundle = TileId.bundle(n, id.width());
                    tiles.put(bundle, ledger.tile(bundle).orElseThrow());
                }
            }
        }
        String checkpoint = ledger.checkpoint();
        return new TileSource() {
            @Override
            public String checkpoint() {
                return checkpoint;
            }

            @Override
            public byte[] tile(TileId id) {
                return tiles.get(id);
            }
        };
    }

    @TearDown(Level.Trial)
    public void close() {
        ledger.close();
    }

    /** The verifier's own work: tiles already fetched. */
    @Benchmark
    @OperationsPerInvocation(SIZE)
    public Object verifyWholeLog() throws Exception {
        return LogVerifier.of(fetched, key).verify(Optional.empty());
    }

    /** The same, reading each tile from the ledger as {@code warden serve} does (no HTTP). */
    @Benchmark
    @OperationsPerInvocation(SIZE)
    public Object verifyWholeLog_servedByLedger() throws Exception {
        return LogVerifier.of(ledger.tileSource(), key).verify(Optional.empty());
    }

    /** The limit: one SHA-256 per entry, nothing else. */
    @Benchmark
    @OperationsPerInvocation(SIZE)
    public byte[] sha256Alone() throws Exception {
        return sha256All(entries);
    }

    static byte[] sha256All(byte[][] entries) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] out = null;
        for (byte[] e : entries) {
            md.update((byte) 0);
            md.update(e);
            out = md.digest();
        }
        return out;
    }
}
