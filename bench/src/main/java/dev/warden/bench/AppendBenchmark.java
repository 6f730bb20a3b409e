package dev.warden.bench;

import dev.warden.ledger.Ledger;
import dev.warden.ledger.note.SignerKey;
import dev.warden.storage.Database;
import dev.warden.storage.SqlLogStorage;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable appends per second on SQLite (WAL, synchronous=FULL) with group commit. Each operation
 * returns only once its entry is committed and synced. Entries are ~120-byte public envelopes.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 5)
@Fork(1)
@State(Scope.Benchmark)
public class AppendBenchmark {
    private Database db;
    private Ledger ledger;
    private final AtomicLong counter = new AtomicLong();

    @Setup(Level.Trial)
    public void open() throws Exception {
        Path dir = Files.createTempDirectory("warden-bench-append-");
        db = Database.sqlite(dir);
        ledger = Ledger.open(new SqlLogStorage(db), SignerKey.generate("bench.warden.local/log"));
    }

    @TearDown(Level.Trial)
    public void close() {
        ledger.close();
        db.close();
    }

    byte[] envelope() {
        long i = counter.getAndIncrement();
        return ("{\"v\":1,\"type\":\"case.opened\",\"at\":\"2026-11-28T12:00:00Z\",\"seq\":" + i
                + ",\"bodyHash\":\"q2zCkDXmz0zVQe5LzlkxB5cC3Y6mH2tD8vR4iJb8KQ0=\"}").getBytes();
    }

    /** One appender: every append waits for its own commit, so each pays a sync. */
    @Benchmark
    @Threads(1)
    public long durableAppend_1appender() {
        return ledger.append(envelope());
    }

    /** 64 concurrent appenders: group commit shares each transaction and sync among them. */
    @Benchmark
    @Threads(64)
    public long durableAppend_64appenders() {
        return ledger.append(envelope());
    }

    /** One appender that pipelines 64 appends with the async API before waiting for all of them. */
    @Benchmark
    @Threads(1)
    @OperationsPerInvocation(64)
    public long durableAppend_1appender_pipelined64() {
        @SuppressWarnings("unchecked")
        CompletableFuture<Long>[] f = new CompletableFuture[64];
        for (int i = 0; i < f.length; i++) {
            f[i] = ledger.appendAsync(envelope());
        }
        return CompletableFuture.allOf(f).thenApply(v -> f[63].join()).join();
    }
}
