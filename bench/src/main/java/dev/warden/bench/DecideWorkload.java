package dev.warden.bench;

import dev.warden.enforcement.Operation;
import dev.warden.enforcement.Restriction;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;

/**
 * The decision workload that {@link DecideBenchmark} and {@link CedarBenchmark} both measure: 1M
 * subscriptions, restrictions on random ones (two services, one region, a carve-out, in force at
 * {@link #NOW}, about half of them still in their retrieval window), and random requests.
 *
 * <p>One seeded random stream: call {@link #restrictions} first, then {@link #requests}, and the
 * same calls give the same workload in every run and every benchmark.
 */
final class DecideWorkload {
    static final int SUBSCRIPTIONS = 1_000_000;
    static final long NOW = 1_800_000_000L;
    static final String[] SERVICES = {"object-storage", "speech-to-text", "translation", "compute", "security-center"};
    static final String[] REGIONS = {"xa-east-1", "xa-west-1", "eu-1", "us-1"};

    /** Requests as four parallel arrays, so that a benchmark reads them as {@code decide} takes them. */
    record Requests(String[] subscriptions, String[] services, Operation[] operations, String[] regions) {
    }

    private final String[] subscriptions = new String[SUBSCRIPTIONS];
    private final SplittableRandom random = new SplittableRandom(7);

    DecideWorkload() {
        for (int i = 0; i < SUBSCRIPTIONS; i++) {
            subscriptions[i] = "sub-" + Integer.toHexString(0x1000000 + i);
        }
    }

    String[] subscriptions() {
        return subscriptions;
    }

    List<Restriction> restrictions(int count) {
        List<Restriction> restrictions = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            restrictions.add(new Restriction("rst-" + i, subscriptions[random.nextInt(SUBSCRIPTIONS)],
                    Set.of(SERVICES[random.nextInt(3)], SERVICES[3]), Set.of(), Set.of(REGIONS[random.nextInt(4)]),
                    Set.of(SERVICES[4]), NOW - 1000, NOW - 500, NOW + random.nextInt(1000) - 500, Restriction.OPEN_END,
                    "case-" + (i % 5000), "aup-4.2"));
        }
        return restrictions;
    }

    Requests requests(int count) {
        Requests r = new Requests(new String[count], new String[count], new Operation[count], new String[count]);
        for (int i = 0; i < count; i++) {
            r.subscriptions[i] = subscriptions[random.nextInt(SUBSCRIPTIONS)];
            r.services[i] = SERVICES[random.nextInt(SERVICES.length)];
            r.operations[i] = Operation.values()[random.nextInt(Operation.values().length)];
            r.regions[i] = REGIONS[random.nextInt(REGIONS.length)];
        }
        return r;
    }
}
