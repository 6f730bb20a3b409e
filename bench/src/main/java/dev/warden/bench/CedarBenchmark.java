package dev.warden.bench;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationSuccessResponse;
import com.cedarpolicy.model.exception.AuthException;
import com.cedarpolicy.model.policy.PolicySet;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Issue 4's comparison: in-process {@code decide} next to Cedar (cedar-java, its native library
 * in process) running the equivalent {@code forbid} policies ({@link CedarPolicies}), over the
 * same {@link DecideWorkload} restrictions and requests. One thread: figures are per core.
 *
 * <ul>
 *   <li>{@code cedar}: one policy set holding every restriction, cached on Cedar's native side,
 *       as one would hand Cedar the whole snapshot. A call's cost grows with the policies in the
 *       set; hence fewer restrictions than the 100,000 of {@link DecideBenchmark}.
 *   <li>{@code cedarSliced}: Cedar's best case, the caller indexing by subscription first (as
 *       Warden does) and asking Cedar with only that subscription's policies, each set cached.
 * </ul>
 *
 * <p>Setup checks that Cedar (both forms) and {@code decide} agree before anything is measured,
 * and throws otherwise: on the benchmark's own restrictions (its first requests, alternated with
 * requests aimed at restricted subscriptions at instants around the edges of their timelines, as
 * few of its requests meet a restriction), and on a small random set with every feature the
 * benchmark's restrictions leave out (operation subsets, carve-outs that overlap the services, no
 * regions, ends).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-XX:+UseParallelGC", "--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class CedarBenchmark {
    static final int REQUESTS = 1 << 20;
    /** Queries per agreement check. */
    static final int CHECKS = 4_000;
    static final long NOW = DecideWorkload.NOW;

    /** Restrictions in the snapshot, for both engines. */
    @Param({"1000"})
    public int restrictions;

    private Decider decider;
    private BasicAuthorizationEngine engine;
    private PolicySet cedarAll;
    private Map<String, PolicySet> cedarBySubscription;
    private PolicySet cedarNone;
    private String[] subs;
    private String[] services;
    private Operation[] operations;
    private String[] regions;
    private int next;

    @Setup(Level.Trial)
    public void build() throws AuthException {
        DecideWorkload workload = new DecideWorkload();
        List<Restriction> list = workload.restrictions(restrictions);
        DecideWorkload.Requests requests = workload.requests(REQUESTS);
        subs = requests.subscriptions();
        services = requests.services();
        operations = requests.operations();
        regions = requests.regions();
        decider = Decider.compile(list, 1);
        engine = new BasicAuthorizationEngine();

        Map<String, List<Restriction>> bySubscription = list.stream().collect(Collectors.groupingBy(Restriction::subscription));
        PolicySet.setCacheMaxPolicySets(bySubscription.size() + 16);
        long t0 = System.nanoTime();
        cedarAll = CedarPolicies.policySet(list);
        System.out.printf("%ncedar: %,d policies parsed and cached in %.1f s%n", list.size() + 1, (System.nanoTime() - t0) / 1e9);
        cedarNone = CedarPolicies.policySet(List.of());
        cedarBySubscription = new HashMap<>();
        bySubscription.forEach((sub, rs) -> cedarBySubscription.put(sub, CedarPolicies.policySet(rs)));

        Queries mixed = (random, i) -> i % 2 == 0
                ? new Query(subs[i / 2], services[i / 2], operations[i / 2], regions[i / 2], NOW)
                : aimedAt(list.get(random.nextInt(list.size())), random);
        checkAgreement("benchmark restrictions, one policy set", decider, sub -> cedarAll, CHECKS, mixed);
        checkAgreement("benchmark restrictions, sliced", decider, this::slice, CHECKS, mixed);
        checkVariedRestrictions(0x5eed);
    }

    @Benchmark
    public Answer decide() {
        int i = next++ & (REQUESTS - 1);
        return decider.decide(subs[i], services[i], operations[i], regions[i], NOW);
    }

    @Benchmark
    public boolean cedar() throws AuthException {
        int i = next++ & (REQUESTS - 1);
        return CedarPolicies.decide(engine, cedarAll, subs[i], services[i], operations[i], regions[i], NOW).isAllowed();
    }

    @Benchmark
    public boolean cedarSliced() throws AuthException {
        int i = next++ & (REQUESTS - 1);
        return CedarPolicies.decide(engine, slice(subs[i]), subs[i], services[i], operations[i], regions[i], NOW).isAllowed();
    }

    private PolicySet slice(String subscription) {
        return cedarBySubscription.getOrDefault(subscription, cedarNone);
    }

    record Query(String subscription, String service, Operation operation, String region, long at) {
    }

    interface Queries {
        Query next(SplittableRandom random, int index);
    }

    /** A request on {@code r}'s subscription, at an instant around one of its timeline's edges. */
    private static Query aimedAt(Restriction r, SplittableRandom random) {
        long[] edges = {r.noticeAt(), r.effectiveAt(), r.retrievalUntil(), r.endAt() == Restriction.OPEN_END ? NOW + 100_000 : r.endAt()};
        long at = edges[random.nextInt(edges.length)] + random.nextInt(3) - 1;
        String service = r.services().isEmpty() || random.nextInt(4) == 0
                ? DecideWorkload.SERVICES[random.nextInt(DecideWorkload.SERVICES.length)]
                : pick(r.services(), random);
        String region = r.regions().isEmpty() || random.nextInt(4) == 0
                ? DecideWorkload.REGIONS[random.nextInt(DecideWorkload.REGIONS.length)]
                : pick(r.regions(), random);
        return new Query(r.subscription(), service, Operation.values()[random.nextInt(Operation.values().length)], region, at);
    }

    /** One of {@code values}, the same for the same random state in every JVM (a {@code Set.of}'s order is not). */
    private static String pick(Set<String> values, SplittableRandom random) {
        return values.stream().sorted().skip(random.nextInt(values.size())).findFirst().orElseThrow();
    }

    /**
     * Asks {@code decide} and Cedar the same {@code count} queries and throws at the first
     * disagreement: ALLOW against Allow, and DENY against Deny naming the same restriction among
     * the policies Cedar found to deny. Throws too if either answer never occurs, as a check that
     * saw only ALLOWs would prove nothing about the forbids.
     */
    private void checkAgreement(String what, Decider warden, Function<String, PolicySet> cedarFor, int count,
            Queries queries) throws AuthException {
        SplittableRandom random = new SplittableRandom(count);
        int denies = 0;
        for (int i = 0; i < count; i++) {
            Query q = queries.next(random, i);
            Answer answer = warden.decide(q.subscription(), q.service(), q.operation(), q.region(), q.at());
            AuthorizationSuccessResponse cedar = CedarPolicies.decide(engine, cedarFor.apply(q.subscription()),
                    q.subscription(), q.service(), q.operation(), q.region(), q.at());
            boolean agree = answer instanceof Answer.Deny deny
                    ? !cedar.isAllowed() && cedar.getReason().contains(deny.restrictionId())
                    : cedar.isAllowed();
            if (!agree) {
                throw new IllegalStateException("cedar and decide disagree on " + what + ": " + q + ": decide " + answer
                        + ", cedar " + cedar.getDecision() + " by " + cedar.getReason());
            }
            denies += answer instanceof Answer.Deny ? 1 : 0;
        }
        if (denies == 0 || denies == count) {
            throw new IllegalStateException("couldn't check cedar against decide on " + what + ": " + denies + " of "
                    + count + " denied; hint: the check needs both answers");
        }
        System.out.printf("cedar agrees with decide on %,d %s (%,d DENY)%n", count, what, denies);
    }

    /**
     * The same check on 300 random restrictions over 60 subscriptions with every feature of a
     * restriction, against a snapshot and a Cedar policy set of their own.
     */
    private void checkVariedRestrictions(long seed) throws AuthException {
        SplittableRandom random = new SplittableRandom(seed);
        String[] svc = DecideWorkload.SERVICES;
        String[] reg = DecideWorkload.REGIONS;
        List<Restriction> varied = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            long notice = NOW + random.nextInt(1000);
            long effective = notice + random.nextInt(3) * random.nextInt(100);
            long retrieval = effective + random.nextInt(3) * random.nextInt(100);
            long end = random.nextInt(4) == 0 ? Restriction.OPEN_END : retrieval + random.nextInt(3) * random.nextInt(100);
            Set<String> services = new HashSet<>();
            Set<String> carveOuts = new HashSet<>();
            for (String s : svc) {
                if (random.nextBoolean()) {
                    services.add(s);
                } else if (random.nextInt(4) == 0) {
                    carveOuts.add(s);
                }
            }
            if (random.nextInt(5) == 0 && !services.isEmpty()) {
                carveOuts.add(services.iterator().next());
            }
            Set<Operation> ops = EnumSet.noneOf(Operation.class);
            for (Operation o : Operation.values()) {
                if (random.nextInt(3) == 0) {
                    ops.add(o);
                }
            }
            Set<String> regions = new HashSet<>();
            for (String r : reg) {
                if (random.nextInt(3) == 0) {
                    regions.add(r);
                }
            }
            varied.add(new Restriction("var-" + i, "sub-" + random.nextInt(60), services, ops, regions, carveOuts,
                    notice, effective, retrieval, end, "case-" + i, "code-" + i % 7));
        }
        Decider warden = Decider.compile(varied, 1);
        PolicySet cedar = CedarPolicies.policySet(varied);
        checkAgreement("varied restrictions", warden, sub -> cedar, CHECKS, (r, i) -> r.nextInt(4) == 0
                ? new Query("sub-" + r.nextInt(60), svc[r.nextInt(svc.length)], Operation.values()[r.nextInt(7)],
                        reg[r.nextInt(reg.length)], NOW - 10 + r.nextInt(1500))
                : aimedAt(varied.get(r.nextInt(varied.size())), r));
    }
}
