package dev.warden.bench;

import dev.warden.enforcement.Answer;
import dev.warden.enforcement.Decider;
import dev.warden.enforcement.Operation;
import dev.warden.enforcement.Restriction;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * In-process {@code decide} on a snapshot of 1M subscriptions and 100k active restrictions
 * ({@link DecideWorkload}), side by side with its limit: a plain {@code HashMap} lookup keyed by
 * subscription, over the same requests. One thread: figures are per core.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-XX:+UseParallelGC"})
@State(Scope.Benchmark)
public class DecideBenchmark {
    static final int RESTRICTIONS = 100_000;
    static final int REQUESTS = 1 << 20;

    private Decider decider;
    private Map<String, String> plain;
    private String[] subs;
    private String[] services;
    private Operation[] operations;
    private String[] regions;
    private int next;

    @Setup(Level.Trial)
    public void build() {
        DecideWorkload workload = new DecideWorkload();
        plain = new HashMap<>(DecideWorkload.SUBSCRIPTIONS * 2);
        for (String s : workload.subscriptions()) {
            plain.put(s, s);
        }
        long before = usedHeap();
        List<Restriction> restrictions = workload.restrictions(RESTRICTIONS);
        decider = Decider.compile(restrictions, 123_456);
        restrictions = null;
        long after = usedHeap();
        System.out.printf("%nsnapshot heap (restrictions + index, after GC): %.1f MB%n", (after - before) / 1e6);
        DecideWorkload.Requests requests = workload.requests(REQUESTS);
        subs = requests.subscriptions();
        services = requests.services();
        operations = requests.operations();
        regions = requests.regions();
    }

    private static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    @Benchmark
    public Answer decide() {
        int i = next++ & (REQUESTS - 1);
        return decider.decide(subs[i], services[i], operations[i], regions[i], DecideWorkload.NOW);
    }

    /**
     * The limit: one HashMap lookup keyed by subscription, over the same requests, reading the
     * same four request fields (consumed by the blackhole), so that only the decision differs.
     */
    @Benchmark
    public String hashMapLookup(Blackhole bh) {
        int i = next++ & (REQUESTS - 1);
        bh.consume(services[i]);
        bh.consume(operations[i]);
        bh.consume(regions[i]);
        return plain.get(subs[i]);
    }
}
