package dev.warden.enforcement;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DeciderTest {
    static final long T0 = 1_800_000_000L;

    static Restriction restriction(String id, String sub, long notice, long effective, long retrieval, long end) {
        return new Restriction(id, sub, Set.of("object-storage", "speech-to-text"), EnumSet.allOf(Operation.class),
                Set.of("xa-east-1"), Set.of("security-center"), notice, effective, retrieval, end, "case-1", "aup-4.2");
    }

    @Test
    void boundaries_atNoticeEffectiveRetrievalAndEnd() {
        Restriction r = restriction("r1", "sub-1", T0, T0 + 100, T0 + 200, T0 + 300);
        Decider d = Decider.compile(List.of(r), 42);
        // notice period: nothing denied
        assertThat(d.decide("sub-1", "object-storage", Operation.WRITE, "xa-east-1", T0)).isInstanceOf(Answer.Allow.class);
        assertThat(d.decide("sub-1", "object-storage", Operation.WRITE, "xa-east-1", T0 + 99)).isInstanceOf(Answer.Allow.class);
        // effectiveAt is inclusive
        assertThat(d.decide("sub-1", "object-storage", Operation.WRITE, "xa-east-1", T0 + 100))
                .isEqualTo(new Answer.Deny(42, "r1", "case-1", "aup-4.2"));
        // retrieval window: read and export allowed, the rest denied
        assertThat(d.decide("sub-1", "object-storage", Operation.READ, "xa-east-1", T0 + 100)).isInstanceOf(Answer.Allow.class);
        assertThat(d.decide("sub-1", "object-storage", Operation.EXPORT, "xa-east-1", T0 + 199)).isInstanceOf(Answer.Allow.class);
        // retrievalUntil is exclusive: at it, read is denied
        assertThat(d.decide("sub-1", "object-storage", Operation.READ, "xa-east-1", T0 + 200)).isInstanceOf(Answer.Deny.class);
        // endAt is exclusive: at it, everything is allowed again
        assertThat(d.decide("sub-1", "object-storage", Operation.WRITE, "xa-east-1", T0 + 299)).isInstanceOf(Answer.Deny.class);
        assertThat(d.decide("sub-1", "object-storage", Operation.WRITE, "xa-east-1", T0 + 300)).isInstanceOf(Answer.Allow.class);
        // carve-out, other region, other service, other subscription
        assertThat(d.decide("sub-1", "security-center", Operation.WRITE, "xa-east-1", T0 + 250)).isInstanceOf(Answer.Allow.class);
        assertThat(d.decide("sub-1", "object-storage", Operation.WRITE, "xa-west-1", T0 + 250)).isInstanceOf(Answer.Allow.class);
        assertThat(d.decide("sub-1", "compute", Operation.WRITE, "xa-east-1", T0 + 250)).isInstanceOf(Answer.Allow.class);
        assertThat(d.decide("sub-2", "object-storage", Operation.WRITE, "xa-east-1", T0 + 250)).isInstanceOf(Answer.Allow.class);
        assertThat(d.decide("sub-2", "object-storage", Operation.WRITE, "xa-east-1", T0 + 250).treeSize()).isEqualTo(42);
    }

    @Test
    void openEnd_neverExpires_andEmptyRegionsMeanEverywhere() {
        Restriction r = new Restriction("r1", "sub-1", Set.of("translation"), Set.of(Operation.INVOKE), Set.of(), Set.of(),
                T0, T0, T0, Restriction.OPEN_END, "c", "x");
        Decider d = Decider.compile(List.of(r), 1);
        assertThat(d.decide("sub-1", "translation", Operation.INVOKE, "anywhere", Long.MAX_VALUE - 1)).isInstanceOf(Answer.Deny.class);
        assertThat(d.decide("sub-1", "translation", Operation.READ, "anywhere", T0 + 5)).isInstanceOf(Answer.Allow.class);
    }

    /** Seeded random restriction sets and at least a million requests, boundary instants included. */
    @Test
    void compiledDecide_agreesWithTheNaiveReference_onAMillionRandomRequests() {
        long seed = Long.getLong("warden.test.seed", System.nanoTime());
        Random random = new Random(seed);
        String[] services = {"object-storage", "speech-to-text", "translation", "compute", "security-center"};
        String[] regions = {"r1", "r2", "r3"};
        int requests = 0;
        for (int round = 0; round < 20; round++) {
            int subs = 50 + random.nextInt(200);
            List<Restriction> all = new ArrayList<>();
            List<Long> instants = new ArrayList<>();
            int n = random.nextInt(300);
            for (int i = 0; i < n; i++) {
                long notice = T0 + random.nextInt(1000);
                long effective = notice + random.nextInt(3) * random.nextInt(100);
                long retrieval = effective + random.nextInt(3) * random.nextInt(100);
                long end = random.nextInt(4) == 0 ? Restriction.OPEN_END : retrieval + random.nextInt(3) * random.nextInt(100);
                Set<String> svc = new HashSet<>();
                Set<String> carve = new HashSet<>();
                for (String s : services) {
                    if (random.nextBoolean()) {
                        svc.add(s);
                    } else if (random.nextInt(4) == 0) {
                        carve.add(s);
                    }
                }
                if (random.nextInt(5) == 0 && !svc.isEmpty()) {
                    carve.add(svc.iterator().next()); // a carve-out that overlaps the services
                }
                Set<Operation> ops = EnumSet.noneOf(Operation.class);
                for (Operation o : Operation.values()) {
                    if (random.nextInt(3) > 0) {
                        ops.add(o);
                    }
                }
                Set<String> regs = new HashSet<>();
                for (String r : regions) {
                    if (random.nextInt(3) == 0) {
                        regs.add(r);
                    }
                }
                Restriction r = new Restriction("r" + i, "sub-" + random.nextInt(subs), svc, ops, regs, carve,
                        notice, effective, retrieval, end, "case-" + i, "code-" + i % 7);
                all.add(r);
                instants.addAll(List.of(notice, effective, effective - 1, retrieval, retrieval - 1,
                        end == Restriction.OPEN_END ? end - 1 : end, end == Restriction.OPEN_END ? end - 1 : end - 1));
            }
            // Build half at once, and half by applying changes, so apply() is checked too.
            Decider compiled = Decider.compile(all.subList(0, all.size() / 2), round);
            compiled = compiled.apply(all.subList(all.size() / 2, all.size()), List.of(), round);
            List<Restriction> live = new ArrayList<>(all);
            if (!all.isEmpty() && random.nextBoolean()) {
                Restriction gone = all.get(random.nextInt(all.size()));
                compiled = compiled.apply(List.of(), List.of(gone), round);
                live.remove(gone);
            }
            ReferenceDecider reference = new ReferenceDecider(live, round);
            assertThat(compiled.size()).isEqualTo(live.size());
            for (int q = 0; q < 55_000; q++) {
                String sub = "sub-" + random.nextInt(subs);
                String service = services[random.nextInt(services.length)];
                Operation op = Operation.values()[random.nextInt(Operation.values().length)];
                String region = regions[random.nextInt(regions.length)];
                long at = instants.isEmpty() || random.nextBoolean() ? T0 - 10 + random.nextInt(1500)
                        : instants.get(random.nextInt(instants.size()));
                Answer expected = reference.decide(sub, service, op, region, at);
                Answer actual = compiled.decide(sub, service, op, region, at);
                if (!expected.equals(actual)) {
                    // Two restrictions may both deny; then either is a correct answer, as long as it denies.
                    assertThat(actual).as("seed %d: %s %s %s %s at %d", seed, sub, service, op, region, at)
                            .isInstanceOf(expected.getClass());
                }
                requests++;
            }
        }
        assertThat(requests).isGreaterThanOrEqualTo(1_000_000);
    }

    @Test
    void apply_sharesUntouchedState_andMovesOnlyForward() {
        Decider a = Decider.compile(List.of(restriction("r1", "sub-1", T0, T0, T0, Restriction.OPEN_END)), 5);
        Decider b = a.apply(List.of(restriction("r2", "sub-2", T0, T0, T0, Restriction.OPEN_END)), List.of(), 6);
        assertThat(a.decide("sub-2", "object-storage", Operation.WRITE, "xa-east-1", T0)).isInstanceOf(Answer.Allow.class);
        assertThat(b.decide("sub-2", "object-storage", Operation.WRITE, "xa-east-1", T0)).isInstanceOf(Answer.Deny.class);
        assertThat(b.size()).isEqualTo(2);
        Decider narrowed = b.apply(List.of(new Restriction("r2", "sub-2", Set.of("speech-to-text"), Set.of(), Set.of(),
                Set.of(), T0, T0, T0, Restriction.OPEN_END, "case-1", "aup")), List.of(), 7);
        assertThat(narrowed.size()).isEqualTo(2);
        assertThat(narrowed.decide("sub-2", "object-storage", Operation.WRITE, "xa-east-1", T0)).isInstanceOf(Answer.Allow.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> b.apply(List.of(), List.of(), 4))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
