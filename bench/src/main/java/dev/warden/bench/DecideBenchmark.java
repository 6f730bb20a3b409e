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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * In-process {@code decide} on a snapshot of 1M subscriptions and 100k active restrictions, side
 * by side with its limit: a plain {@code HashMap} lookup keyed by subscription, over the same
 * requests. One thread: figures are per core.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-XX:+UseParallelGC"})
@State(Scope.Benchmark)
public class DecideBenchmark {
    static final int SUBSCRIPTIONS = 1_000_000;
    static final int RESTRICTIONS = 100_000;
    static final int REQUESTS = 1 << 20;
    static final long NOW = 1_800_000_000L;
    static final String[] SERVICES = {"object-storage", "speech-to-text", "translation", "compute", "security-center"};
    static final String[] REGIONS = {"xa-east-1", "xa-west-1", "eu-1", "us-1"};

    private Decider decider;
    private Map<String, String> plain;
    private String[] subs;
    private String[] services;
    private Operation[] operations;
    private String[] regions;
    private int next;

    @Setup(Level.Trial)
    public void build() {
        SplittableRandom random = new SplittableRandom(7);
        String[] subscriptions = new String[SUBSCRIPTIONS];
        plain = new HashMap<>(SUBSCRIPTIONS * 2);
        for (int i = 0; i < SUBSCRIPTIONS; i++) {
            subscriptions[i] = "sub-" + Integer.toHexString(0x1000000 + i);
            plain.put(subscriptions[i], subscriptions[i]);
        }
        long before = usedHeap();
        List<Restriction> restrictions = new ArrayList<>(RESTRICTIONS);
        for (int i = 0; i < RESTRICTIONS; i++) {
            restrictions.add(new Restriction("rst-" + i, subscriptions[random.nextInt(SUBSCRIPTIONS)],
                    java.util.Set.of(SERVICES[random.nextInt(3)], SERVICES[3]), java.util.Set.of(), java.util.Set.of(REGIONS[random.nextInt(4)]),
                    java.util.Set.of(SERVICES[4]), NOW - 1000, NOW - 500, NOW + random.nextInt(1000) - 500, Restriction.OPEN_END,
                    "case-" + (i % 5000), "aup-4.2"));
        }
        decider = Decider.compile(restrictions, 123_456);
        restrictions = null;
        long after = usedHeap();
        System.out.printf("%nsnapshot heap (restrictions + index, after GC): %.1f MB%n", (after - before) / 1e6);
        subs = new String[REQUESTS];
        services = new String[REQUESTS];
        operations = new Operation[REQUESTS];
        regions = new String[REQUESTS];
        for (int i = 0; i < REQUESTS; i++) {
            subs[i] = subscriptions[random.nextInt(SUBSCRIPTIONS)];
            services[i] = SERVICES[random.nextInt(SERVICES.length)];
            operations[i] = Operation.values()[random.nextInt(Operation.values().length)];
            regions[i] = REGIONS[random.nextInt(REGIONS.length)];
        }
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
        return decider.decide(subs[i], services[i], operations[i], regions[i], NOW);
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
