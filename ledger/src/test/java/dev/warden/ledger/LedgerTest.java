package dev.warden.ledger;

import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.note.SignerKey;
import dev.warden.ledger.receipt.Receipt;
import dev.warden.ledger.receipt.ReceiptException;
import dev.warden.ledger.storage.MemoryLogStorage;
import dev.warden.ledger.tile.EntryBundle;
import dev.warden.ledger.tile.TileId;
import dev.warden.ledger.tree.Hash;
import dev.warden.ledger.tree.Hasher;
import dev.warden.ledger.tree.Proofs;
import dev.warden.ledger.verifier.LogVerifier;
import dev.warden.ledger.verifier.VerificationException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LedgerTest {
    private static final SignerKey KEY = SignerKey.generate("ledger.test/log");

    private static byte[] entry(long i) {
        return ("entry " + i).getBytes(StandardCharsets.UTF_8);
    }

    private static Ledger filled(MemoryLogStorage storage, SignerKey key, int n, int offset) {
        Ledger ledger = Ledger.open(storage, key);
        List<CompletableFuture<Long>> f = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            f.add(ledger.appendAsync(entry(offset + i)));
        }
        f.forEach(CompletableFuture::join);
        return ledger;
    }

    /** Recomputes the root from the entries with a naive RFC 9162 MTH, independent of tiles. */
    private static Hash naiveRoot(List<byte[]> entries) {
        List<Hash> level = new ArrayList<>();
        for (byte[] e : entries) {
            level.add(Hasher.get().leaf(e));
        }
        return mth(level);
    }

    private static Hash mth(List<Hash> leaves) {
        if (leaves.isEmpty()) {
            return Hasher.EMPTY_ROOT;
        }
        if (leaves.size() == 1) {
            return leaves.get(0);
        }
        int k = Integer.highestOneBit(leaves.size() - 1);
        return Hasher.get().node(mth(leaves.subList(0, k)), mth(leaves.subList(k, leaves.size())));
    }

    @Test
    void awaitGrowth_wakesWhenAnAppendLands_andTimesOutWhenNoneDoes() throws Exception {
        try (Ledger ledger = filled(new MemoryLogStorage(), KEY, 3, 0)) {
            assertThat(ledger.awaitGrowth(2, java.time.Duration.ofSeconds(5))).isEqualTo(3);
            long t0 = System.nanoTime();
            assertThat(ledger.awaitGrowth(3, java.time.Duration.ofMillis(100))).isEqualTo(3);
            assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(100_000_000L);

            CompletableFuture<Long> waiter = CompletableFuture.supplyAsync(() -> {
                try {
                    return ledger.awaitGrowth(3, java.time.Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            Thread.sleep(50);
            assertThat(waiter).isNotDone();
            ledger.append(entry(3));
            assertThat(waiter.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(4);
        }
    }

    @Test
    void emptyLog_signsTheEmptyRootAtSizeZero() throws Exception {
        try (Ledger ledger = Ledger.open(new MemoryLogStorage(), KEY)) {
            Checkpoint cp = Checkpoint.open(ledger.checkpoint(), KEY.verifierKey());
            assertThat(cp.size()).isZero();
            assertThat(cp.root()).isEqualTo(Hasher.EMPTY_ROOT);
            assertThat(ledger.tile(TileId.hashes(0, 0, 1))).isEmpty();
        }
    }

    @Test
    void checkpointRoot_equalsNaiveMth_atAwkwardSizes() throws Exception {
        for (int n : new int[] {1, 2, 3, 255, 256, 257, 511, 513, 1000}) {
            try (Ledger ledger = filled(new MemoryLogStorage(), KEY, n, 0)) {
                List<byte[]> entries = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    entries.add(entry(i));
                }
                Checkpoint cp = Checkpoint.open(ledger.checkpoint(), KEY.verifierKey());
                assertThat(cp.size()).isEqualTo(n);
                assertThat(cp.root()).as("root at size %d", n).isEqualTo(naiveRoot(entries));
            }
        }
    }

    @Test
    void tiles_areServedFullOrPartialUpToTheCheckpoint_andNeverBeyond() {
        try (Ledger ledger = filled(new MemoryLogStorage(), KEY, 300, 0)) {
            assertThat(ledger.tile(TileId.hashes(0, 0, 256))).get().extracting(b -> b.length).isEqualTo(8192);
            assertThat(ledger.tile(TileId.hashes(0, 1, 44))).get().extracting(b -> b.length).isEqualTo(44 * 32);
            assertThat(ledger.tile(TileId.hashes(0, 1, 10))).as("an older width is a prefix")
                    .get().isEqualTo(java.util.Arrays.copyOf(ledger.tile(TileId.hashes(0, 1, 44)).get(), 320));
            assertThat(ledger.tile(TileId.hashes(0, 1, 45))).as("wider than the log").isEmpty();
            assertThat(ledger.tile(TileId.hashes(0, 1, 256))).as("not full yet").isEmpty();
            assertThat(ledger.tile(TileId.hashes(1, 0, 1))).get().extracting(b -> b.length).isEqualTo(32);
            assertThat(ledger.tile(TileId.hashes(0, 2, 1))).isEmpty();
            byte[] bundle = ledger.tile(TileId.bundle(1, 44)).orElseThrow();
            assertThat(EntryBundle.decode(bundle, 44).get(0)).isEqualTo(entry(256));
            assertThat(ledger.entry(299)).isEqualTo(entry(299));
        }
    }

    @Test
    void inclusionProof_readsAtMostFiveTiles_andVerifies() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        // 70,000 leaves: two full levels and a partial third, the shape of a large log's edge.
        try (Ledger ledger = filled(new MemoryLogStorage(), KEY, 70_000, 0)) {
            Checkpoint cp = Checkpoint.open(ledger.checkpoint(), KEY.verifierKey());
            for (int t = 0; t < 2000; t++) {
                long index = t < 20 ? cp.size() - 1 - t : random.nextLong(cp.size());
                long treeSize = t % 4 == 0 ? index + 1 + random.nextLong(cp.size() - index) : cp.size();
                Ledger.CountedProof p = ledger.inclusionProofCounted(index, treeSize);
                assertThat(p.tiles()).as("tiles read for leaf %d at size %d (seed %d)", index, treeSize, seed)
                        .hasSizeLessThanOrEqualTo(5);
                if (treeSize == cp.size()) {
                    Proofs.verifyInclusion(index, treeSize, Hasher.get().leaf(entry(index)), p.proof(), cp.root());
                }
            }
        }
    }

    @Test
    void receipt_verifiesOffline_andFailsForAnotherEntryOrKey() throws Exception {
        try (Ledger ledger = filled(new MemoryLogStorage(), KEY, 1000, 0)) {
            Receipt receipt = Receipt.parse(ledger.receipt(123).encode());
            assertThat(receipt.verify(entry(123), KEY.verifierKey()).size()).isEqualTo(1000);
            assertThatThrownBy(() -> receipt.verify(entry(124), KEY.verifierKey()))
                    .isInstanceOf(ReceiptException.class);
            SignerKey other = SignerKey.generate("ledger.test/log");
            assertThatThrownBy(() -> receipt.verify(entry(123), other.verifierKey()))
                    .isInstanceOf(ReceiptException.class);
            assertThat(receipt.encode()).startsWith("c2sp.org/tlog-proof@v1\nindex 123\n");
        }
    }

    @Test
    void failedCommit_appendsNothing_andTheNextAppendTakesTheSameIndex() {
        MemoryLogStorage storage = new MemoryLogStorage();
        try (Ledger ledger = filled(storage, KEY, 10, 0)) {
            String before = ledger.checkpoint();
            storage.failNextCommits(1);
            assertThatThrownBy(() -> ledger.append(entry(99))).isInstanceOf(LedgerException.class)
                    .hasMessageContaining("injected failure");
            assertThat(ledger.size()).isEqualTo(10);
            assertThat(ledger.checkpoint()).isEqualTo(before);
            assertThat(ledger.append(entry(10))).isEqualTo(10);
        }
    }

    @Test
    void oversizedEntry_isRejectedBeforeQueueing() {
        try (Ledger ledger = Ledger.open(new MemoryLogStorage(), KEY)) {
            assertThatThrownBy(() -> ledger.append(new byte[65_536])).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("65535");
            assertThat(ledger.append(new byte[65_535])).isZero();
        }
    }

    @Test
    void close_commitsWhatWasQueued_thenRefusesAppends() {
        Ledger ledger = Ledger.open(new MemoryLogStorage(), KEY);
        List<CompletableFuture<Long>> f = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            f.add(ledger.appendAsync(entry(i)));
        }
        ledger.close();
        assertThat(f).allMatch(x -> x.isDone() && !x.isCompletedExceptionally());
        assertThatThrownBy(() -> ledger.append(entry(0))).isInstanceOf(LedgerException.class).hasMessageContaining("closed");
    }

    @Test
    void verifier_acceptsAGrowingLog_consistentWithTheCheckpointItAcceptedBefore() throws Exception {
        MemoryLogStorage storage = new MemoryLogStorage();
        String first;
        try (Ledger ledger = filled(storage, KEY, 700, 0)) {
            first = LogVerifier.of(ledger.tileSource(), KEY.verifierKey()).verify(Optional.empty()).note();
        }
        try (Ledger ledger = filled(storage, KEY, 70_000, 700)) {
            LogVerifier.Result r = LogVerifier.of(ledger.tileSource(), KEY.verifierKey()).verify(Optional.of(first));
            assertThat(r.checkpoint().size()).isEqualTo(70_700);
        }
    }

    @Test
    void verifier_refusesARolledBackLog() throws Exception {
        String big;
        try (Ledger ledger = filled(new MemoryLogStorage(), KEY, 500, 0)) {
            big = ledger.checkpoint();
        }
        try (Ledger smaller = filled(new MemoryLogStorage(), KEY, 300, 0)) {
            assertThatThrownBy(() -> LogVerifier.of(smaller.tileSource(), KEY.verifierKey()).verify(Optional.of(big)))
                    .isInstanceOf(VerificationException.class)
                    .hasMessageContaining("rolled back: it now has 300 entries, a checkpoint accepted earlier had 500")
                    .extracting(e -> ((VerificationException) e).kind()).isEqualTo(VerificationException.Kind.ROLLED_BACK);
        }
    }

    @Test
    void verifier_refusesAForkedLog_namingTheSizeWhereHistoryDiverged() throws Exception {
        String accepted;
        try (Ledger ledger = filled(new MemoryLogStorage(), KEY, 400, 0)) {
            accepted = ledger.checkpoint();
        }
        // The same key signs a different history: entries 0..399 differ in one entry.
        MemoryLogStorage forkStorage = new MemoryLogStorage();
        try (Ledger fork = Ledger.open(forkStorage, KEY)) {
            for (int i = 0; i < 600; i++) {
                fork.append(i == 200 ? "rewritten".getBytes(StandardCharsets.UTF_8) : entry(i));
            }
            assertThatThrownBy(() -> LogVerifier.of(fork.tileSource(), KEY.verifierKey()).verify(Optional.of(accepted)))
                    .isInstanceOf(VerificationException.class)
                    .hasMessageContaining("forked: its first 400 entries now have root")
                    .extracting(e -> ((VerificationException) e).kind()).isEqualTo(VerificationException.Kind.FORKED);
        }
    }

    @Test
    void verifier_refusesACheckpointSignedByAnotherKey() {
        SignerKey impostor = SignerKey.generate("ledger.test/log");
        try (Ledger ledger = filled(new MemoryLogStorage(), impostor, 10, 0)) {
            assertThatThrownBy(() -> LogVerifier.of(ledger.tileSource(), KEY.verifierKey()).verify(Optional.empty()))
                    .isInstanceOf(VerificationException.class)
                    .extracting(e -> ((VerificationException) e).kind()).isEqualTo(VerificationException.Kind.CHECKPOINT);
        }
    }

    @Test
    void reopen_restoresTheEdgeFromStoredTiles_withoutRehashing() throws Exception {
        MemoryLogStorage storage = new MemoryLogStorage();
        String checkpoint;
        try (Ledger ledger = filled(storage, KEY, 66_000, 0)) {
            checkpoint = ledger.checkpoint();
        }
        try (Ledger ledger = Ledger.open(storage, KEY)) {
            assertThat(ledger.checkpoint()).isEqualTo(checkpoint);
            assertThat(ledger.append(entry(66_000))).isEqualTo(66_000);
            LogVerifier.of(ledger.tileSource(), KEY.verifierKey()).verify(Optional.of(checkpoint));
        }
    }

    @Test
    void appendAsync_futureFailsTogetherWithItsBatch() {
        MemoryLogStorage storage = new MemoryLogStorage();
        try (Ledger ledger = Ledger.open(storage, KEY)) {
            storage.failNextCommits(1);
            CompletableFuture<Long> f = ledger.appendAsync(entry(0));
            assertThatThrownBy(f::join).isInstanceOf(CompletionException.class).hasCauseInstanceOf(LedgerException.class);
            assertThat(ledger.size()).isZero();
        }
    }
}
