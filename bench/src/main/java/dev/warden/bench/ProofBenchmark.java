package dev.warden.bench;

import dev.warden.ledger.Ledger;
import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.note.SignerKey;
import dev.warden.ledger.storage.MemoryLogStorage;
import dev.warden.ledger.tree.Hash;
import dev.warden.ledger.tree.Hasher;
import dev.warden.ledger.tree.ProofException;
import dev.warden.ledger.tree.Proofs;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Inclusion proof generation (from tiles) and verification (RFC 9162 §2.1.3.2) at a random leaf,
 * at 1M and 16M leaves. {@code cache=all} keeps every full tile's interior nodes in memory;
 * {@code cache=none} rebuilds each tile the proof touches, the cost of a cache miss.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx12g", "-XX:+UseParallelGC"})
@State(Scope.Benchmark)
public class ProofBenchmark {
    @Param({"1048576", "16777216"})
    public long size;

    @Param({"all", "none"})
    public String cache;

    private Ledger ledger;
    private Hash root;
    private final SplittableRandom random = new SplittableRandom(42);
    private long[] indices;
    private List<Hash>[] proofs;
    private Hash[] leaves;
    private int next;

    @Setup(Level.Trial)
    @SuppressWarnings("unchecked")
    public void build() throws Exception {
        SignerKey key = SignerKey.generate("bench.warden.local/log");
        int cached = cache.equals("all") ? (int) (size / 256 + 1024) : 0;
        ledger = Logs.filled(new MemoryLogStorage(), key, size, cached);
        root = Checkpoint.open(ledger.checkpoint(), key.verifierKey()).root();
        indices = new long[4096];
        proofs = new List[indices.length];
        leaves = new Hash[indices.length];
        for (int i = 0; i < indices.length; i++) {
            indices[i] = random.nextLong(size);
            proofs[i] = ledger.inclusionProof(indices[i], size);
            leaves[i] = Hasher.get().leaf(Logs.envelope(indices[i]));
        }
        if (cache.equals("all")) {
            for (long i = 0; i < size; i += 256) {
                ledger.inclusionProof(i, size); // touch every tile once so the cache is warm
            }
        }
    }

    @TearDown(Level.Trial)
    public void close() {
        ledger.close();
    }

    @Benchmark
    public List<Hash> generateInclusionProof() {
        return ledger.inclusionProof(random.nextLong(size), size);
    }

    @Benchmark
    public Hash verifyInclusionProof() throws ProofException {
        int i = next++ & (indices.length - 1);
        Proofs.verifyInclusion(indices[i], size, leaves[i], proofs[i], root);
        return root;
    }
}
