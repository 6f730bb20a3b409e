package dev.warden.bench;

import dev.warden.ledger.Ledger;
import dev.warden.ledger.note.SignerKey;
import dev.warden.ledger.storage.MemoryLogStorage;
import dev.warden.ledger.verifier.LogVerifier;
import dev.warden.ledger.verifier.TileSource;

import java.util.Arrays;
import java.util.Optional;

/**
 * The verification rate and its SHA-256 limit, run alternately (A, B, A, B, ...) in one process,
 * so that a noisy machine slows both alike and the ratio of the pair stays meaningful. Prints
 * each round, then the medians and the median ratio. Complements {@link VerifyBenchmark} (JMH),
 * whose two benchmarks run minutes apart.
 *
 * <p>Run: {@code bench/run ratio} (see BENCHMARKS.md).
 */
public final class VerifyRatio {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 21;
        int size = VerifyBenchmark.SIZE;
        SignerKey signer = SignerKey.generate("bench.warden.local/log");
        Ledger ledger = Logs.filled(new MemoryLogStorage(), signer, size, 4096);
        byte[][] entries = new byte[size][];
        for (int i = 0; i < size; i++) {
            entries[i] = Logs.envelope(i);
        }
        TileSource fetched = VerifyBenchmark.prefetch(ledger);
        LogVerifier verifier = LogVerifier.of(fetched, signer.verifierKey());
        for (int w = 0; w < 5; w++) { // warm up both paths
            verifier.verify(Optional.empty());
            VerifyBenchmark.sha256All(entries);
        }
        double[] verify = new double[rounds];
        double[] sha = new double[rounds];
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            verifier.verify(Optional.empty());
            long t1 = System.nanoTime();
            VerifyBenchmark.sha256All(entries);
            long t2 = System.nanoTime();
            verify[r] = size / ((t1 - t0) / 1e9);
            sha[r] = size / ((t2 - t1) / 1e9);
            ratio[r] = (double) (t1 - t0) / (t2 - t1);
            System.out.printf("round %2d: verify %,.0f leaves/s, sha256 alone %,.0f leaves/s, ratio %.2f%n",
                    r + 1, verify[r], sha[r], ratio[r]);
        }
        System.out.printf("median over %d rounds of %,d leaves: verify %,.0f leaves/s, sha256 alone %,.0f leaves/s, "
                + "median ratio %.2f%n", rounds, size, median(verify), median(sha), median(ratio));
        ledger.close();
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
