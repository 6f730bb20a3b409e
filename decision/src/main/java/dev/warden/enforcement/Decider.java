package dev.warden.enforcement;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable, compiled snapshot of every restriction in force, and {@code decide()}.
 *
 * <p>Restrictions are grouped by subscription in 4,096 buckets, each an immutable map. A request
 * costs one bucket index and one map lookup, then a check of the (few) restrictions of its
 * subscription; most subscriptions have none. {@link #apply} returns a new snapshot that shares
 * every untouched bucket with this one (copy-on-write): a change costs the outer array and the
 * buckets it touches, never a rebuild of the whole.
 *
 * <p>Thread-safe: immutable.
 */
public final class Decider {
    private static final int BUCKETS = 4096;

    private final Bucket[] buckets;
    private final long treeSize;
    private final int restrictions;
    /** The one ALLOW of this snapshot: most requests are allowed, and allocate nothing. */
    private final Answer.Allow allow;

    private Decider(Bucket[] buckets, long treeSize, int restrictions) {
        this.buckets = buckets;
        this.treeSize = treeSize;
        this.restrictions = restrictions;
        this.allow = new Answer.Allow(treeSize);
    }

    /** The empty snapshot at tree size 0: allows everything. */
    public static Decider empty() {
        return compile(List.of(), 0);
    }

    /** Compiles {@code restrictions}, the state of the ledger at {@code treeSize}. */
    @SuppressWarnings("unchecked")
    public static Decider compile(Collection<Restriction> restrictions, long treeSize) {
        Map<String, List<Restriction>>[] groups = new Map[BUCKETS];
        for (Restriction r : restrictions) {
            int b = bucket(r.subscription());
            if (groups[b] == null) {
                groups[b] = new HashMap<>();
            }
            groups[b].computeIfAbsent(r.subscription(), k -> new ArrayList<>()).add(r);
        }
        Bucket[] buckets = new Bucket[BUCKETS];
        for (int b = 0; b < BUCKETS; b++) {
            buckets[b] = freeze(groups[b]);
        }
        return new Decider(buckets, treeSize, restrictions.size());
    }

    /**
     * DESIGN.md, "Decision semantics": DENY if a restriction in force at {@code at} (epoch
     * seconds) covers the request and no carve-out applies; inside the retrieval window read and
     * export are allowed; ALLOW otherwise.
     */
    public Answer decide(String subscription, String service, Operation operation, String region, long at) {
        Compiled[] candidates = buckets[bucket(subscription)].get(subscription);
        if (candidates != null) {
            for (Compiled c : candidates) {
                if (c.denies(service, operation, region, at)) {
                    Restriction r = c.source;
                    return new Answer.Deny(treeSize, r.id(), r.caseRef(), r.reasonCode());
                }
            }
        }
        return allow;
    }

    /**
     * A new snapshot at {@code newTreeSize}: {@code removed} taken out (matched by subscription
     * and id), {@code added} put in (a restriction with an id already there replaces it, which is
     * how one narrows). Costs the buckets it touches; shares every other one with this snapshot.
     */
    @SuppressWarnings("unchecked")
    public Decider apply(Collection<Restriction> added, Collection<Restriction> removed, long newTreeSize) {
        if (newTreeSize < treeSize) {
            throw new IllegalArgumentException("a snapshot only moves forward: " + newTreeSize + " < " + treeSize);
        }
        Bucket[] next = buckets.clone();
        Map<Integer, Map<String, List<Restriction>>> touched = new HashMap<>();
        int count = restrictions;
        for (Restriction r : removed) {
            List<Restriction> list = touched.computeIfAbsent(bucket(r.subscription()), k -> thaw(buckets[k]))
                    .get(r.subscription());
            if (list != null && list.removeIf(x -> x.id().equals(r.id()))) {
                count--;
            }
        }
        for (Restriction r : added) {
            List<Restriction> list = touched.computeIfAbsent(bucket(r.subscription()), k -> thaw(buckets[k]))
                    .computeIfAbsent(r.subscription(), k -> new ArrayList<>());
            if (list.removeIf(x -> x.id().equals(r.id()))) {
                count--;
            }
            list.add(r);
            count++;
        }
        for (Map.Entry<Integer, Map<String, List<Restriction>>> e : touched.entrySet()) {
            next[e.getKey()] = freeze(e.getValue());
        }
        return new Decider(next, newTreeSize, count);
    }

    /** The ledger size this snapshot reflects. */
    public long treeSize() {
        return treeSize;
    }

    /** How many restrictions it holds. */
    public int size() {
        return restrictions;
    }

    private static int bucket(String subscription) {
        int h = subscription.hashCode();
        return (h ^ (h >>> 16)) & (BUCKETS - 1);
    }

    private static Map<String, List<Restriction>> thaw(Bucket bucket) {
        Map<String, List<Restriction>> m = new HashMap<>();
        bucket.forEach((k, v) -> {
            List<Restriction> list = new ArrayList<>(v.length);
            for (Compiled c : v) {
                list.add(c.source);
            }
            m.put(k, list);
        });
        return m;
    }

    private static Bucket freeze(Map<String, List<Restriction>> group) {
        if (group == null || group.isEmpty()) {
            return Bucket.EMPTY;
        }
        Map<String, Compiled[]> m = new HashMap<>();
        group.forEach((k, v) -> {
            if (!v.isEmpty()) {
                m.put(k, v.stream().map(Compiled::new).toArray(Compiled[]::new));
            }
        });
        return new Bucket(m);
    }
}
