package dev.warden.storage;

import dev.warden.ledger.Ledger;
import dev.warden.ledger.LedgerException;
import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.note.SignerKey;
import dev.warden.ledger.receipt.Receipt;
import dev.warden.ledger.storage.LogStorage;
import dev.warden.ledger.tree.Hash;
import dev.warden.ledger.tree.Hasher;
import dev.warden.ledger.tree.Proofs;
import dev.warden.ledger.verifier.LogVerifier;
import dev.warden.storage.TestDatabases.Backend;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ledger on real SQLite and real PostgreSQL: the same behaviour on both. */
class SqlLedgerTest {
    private static final SignerKey KEY = SignerKey.generate("test.warden.local/log");

    @TempDir
    Path dir;

    private static byte[] entry(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void concurrentAppenders_shareTransactions_andEveryIndexIsUniqueAndDurable(Backend backend) throws Exception {
        int threads = 64;
        int perThread = 40;
        Set<Long> indices = new TreeSet<>();
        Supplier<Database> database = TestDatabases.create(backend, dir);
        try (Database db = database.get();
             Ledger ledger = Ledger.open(new SqlLogStorage(db), KEY)) {
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            List<CompletableFuture<List<Long>>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(CompletableFuture.supplyAsync(() -> {
                    List<Long> mine = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        mine.add(ledger.append(entry("t" + thread + "-" + i)));
                    }
                    return mine;
                }, pool));
            }
            for (var w : work) {
                indices.addAll(w.get());
            }
            pool.shutdown();
            assertThat(indices).hasSize(threads * perThread);
            assertThat(indices.iterator().next()).isZero();
            assertThat(ledger.size()).isEqualTo(threads * perThread);
            assertThat(ledger.commits()).as("group commit shares transactions").isLessThan(threads * perThread);
        }
        // Reopen from the database alone: same size, same root, every entry readable and proven.
        try (Database db = database.get();
             Ledger ledger = Ledger.open(new SqlLogStorage(db), KEY)) {
            assertThat(ledger.size()).isEqualTo(threads * perThread);
            Checkpoint cp = Checkpoint.open(ledger.checkpoint(), KEY.verifierKey());
            for (long i = 0; i < ledger.size(); i += 97) {
                byte[] e = ledger.entry(i);
                Proofs.verifyInclusion(i, cp.size(), Hasher.get().leaf(e), ledger.inclusionProof(i, cp.size()), cp.root());
                Receipt.parse(ledger.receipt(i).encode()).verify(e, KEY.verifierKey());
            }
            LogVerifier.of(ledger.tileSource(), KEY.verifierKey()).verify(Optional.empty());
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void appendsAfterReopen_extendTheSameTree_consistently(Backend backend) throws Exception {
        Hash rootAt300;
        String checkpointAt300;
        Supplier<Database> database = TestDatabases.create(backend, dir);
        try (Database db = database.get();
             Ledger ledger = Ledger.open(new SqlLogStorage(db), KEY)) {
            appendAll(ledger, 0, 300);
            checkpointAt300 = ledger.checkpoint();
            rootAt300 = Checkpoint.open(checkpointAt300, KEY.verifierKey()).root();
        }
        try (Database db = database.get();
             Ledger ledger = Ledger.open(new SqlLogStorage(db), KEY)) {
            appendAll(ledger, 300, 700);
            Checkpoint cp = Checkpoint.open(ledger.checkpoint(), KEY.verifierKey());
            Proofs.verifyConsistency(300, cp.size(), rootAt300, cp.root(), ledger.consistencyProof(300, cp.size()));
            LogVerifier.Result r = LogVerifier.of(ledger.tileSource(), KEY.verifierKey()).verify(Optional.of(checkpointAt300));
            assertThat(r.checkpoint().size()).isEqualTo(700);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void twoWritersOnOneStore_takeTurns_andTheLogNeverForks(Backend backend) throws Exception {
        try (Database db = TestDatabases.create(backend, dir).get();
             Ledger first = Ledger.open(new SqlLogStorage(db), KEY)) {
            first.append(entry("a"));
            try (Ledger second = Ledger.open(new SqlLogStorage(db), KEY)) {
                first.append(entry("b"));
                // The second writer is behind: its commit is refused, it catches up, and appends after "b".
                assertThat(second.append(entry("c"))).isEqualTo(2);
                assertThat(first.append(entry("d"))).isEqualTo(3);
                assertThat(second.sync()).isTrue();
                assertThat(second.checkpoint()).isEqualTo(first.checkpoint());
                assertThat(new String(second.entry(1), StandardCharsets.UTF_8)).isEqualTo("b");
            }
            assertThat(new SqlLogStorage(db).checkpoint()).map(LogStorage.StoredCheckpoint::size).contains(4L);
            LogVerifier.of(first.tileSource(), KEY.verifierKey()).verify(Optional.empty());
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void openingWithAnotherLogsKey_isRefused(Backend backend) {
        try (Database db = TestDatabases.create(backend, dir).get()) {
            try (Ledger ledger = Ledger.open(new SqlLogStorage(db), KEY)) {
                ledger.append(entry("a"));
            }
            SignerKey other = SignerKey.generate("other.warden.local/log");
            assertThatThrownBy(() -> Ledger.open(new SqlLogStorage(db), other))
                    .isInstanceOf(LedgerException.class)
                    .hasMessageContaining("couldn't open log \"other.warden.local/log\"");
        }
    }

    private static void appendAll(Ledger ledger, int from, int to) {
        List<CompletableFuture<Long>> f = new ArrayList<>();
        for (int i = from; i < to; i++) {
            f.add(ledger.appendAsync(entry("entry " + i)));
        }
        for (int i = 0; i < f.size(); i++) {
            assertThat(f.get(i).join()).isEqualTo(from + i);
        }
    }
}
