package dev.warden.server;

import dev.warden.enforcement.Answer;
import dev.warden.enforcement.Decider;
import dev.warden.enforcement.Operation;
import dev.warden.enforcement.Restriction;
import dev.warden.event.Envelope;
import dev.warden.event.Journal;
import dev.warden.event.Sql;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server's own decision point, for services that ask over HTTP instead of embedding a
 * follower: a {@link Decider} compiled from the restriction projection, recompiled when an event
 * that changes restrictions lands (other events only move its tree size), and the decision log.
 *
 * <p>The decision log records every DENY and a sampled share of ALLOWs as JSON lines on the
 * {@code warden.decisions} logger. It never blocks a decision: entries go through a bounded queue
 * to a writer thread, and what does not fit is counted as dropped, never lost silently.
 */
final class Enforcement implements AutoCloseable {
    private static final Logger DECISIONS = LoggerFactory.getLogger("warden.decisions");
    private static final int LOG_CAPACITY = 100_000;

    private final Journal journal;
    private final double allowSample;
    private final BlockingQueue<String> log = new ArrayBlockingQueue<>(LOG_CAPACITY);
    private final AtomicLong logged = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final java.util.concurrent.atomic.LongAdder allowed = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder denied = new java.util.concurrent.atomic.LongAdder();
    private final Thread writer;
    private volatile Decider decider = Decider.empty();
    private volatile boolean closed;

    Enforcement(Journal journal, double allowSample) {
        this.journal = journal;
        this.allowSample = allowSample;
        this.writer = Thread.ofPlatform().daemon().name("warden-decision-log").start(this::drain);
    }

    /** The snapshot for the ledger's current size, recompiled from the projection if the ledger moved. */
    Decider current() {
        Decider d = decider;
        long size = journal.ledger().size();
        if (d.treeSize() == size) {
            return d;
        }
        synchronized (this) {
            Decider now = decider;
            if (now.treeSize() != size) {
                // Most events change no restriction: then the snapshot only moves to the new size.
                decider = changesRestrictions(now.treeSize(), size) ? compile() : now.apply(List.of(), List.of(), size);
            }
            return decider;
        }
    }

    /** Whether any entry in [from, to) is an event that changes restrictions. */
    private boolean changesRestrictions(long from, long to) {
        for (long i = from; i < to; i++) {
            try {
                if (Api.ENFORCEMENT_TYPES.contains(Envelope.decode(journal.ledger().entry(i)).type())) {
                    return true;
                }
            } catch (IllegalArgumentException notAnEvent) {
                // an entry that is not an event changes nothing
            }
        }
        return false;
    }

    private Decider compile() {
        long size = journal.ledger().size();
        List<Restriction> restrictions = new ArrayList<>();
        for (List<String> r : journal.read(c -> Sql.rows(c, "SELECT restriction_id, subscription_id, services, operations,"
                + " regions, carve_outs, notice_at, effective_at, retrieval_until, end_at, case_id, reason_code"
                + " FROM restriction WHERE state = 'active'"))) {
            Set<Operation> ops = new HashSet<>();
            for (String o : list(r.get(3))) {
                ops.add(Operation.valueOf(o.toUpperCase(java.util.Locale.ROOT)));
            }
            restrictions.add(new Restriction(r.get(0), r.get(1), list(r.get(2)), ops, list(r.get(4)), list(r.get(5)),
                    seconds(r.get(6)), seconds(r.get(7)), seconds(r.get(8)),
                    r.get(9) == null ? Restriction.OPEN_END : seconds(r.get(9)), r.get(10), r.get(11)));
        }
        return Decider.compile(restrictions, size);
    }

    /** Decides and logs: every DENY, and ALLOWs at the sampling rate. */
    Answer decide(Decider d, String subscription, String service, Operation operation, String region, long at) {
        Answer a = d.decide(subscription, service, operation, region, at);
        if (a instanceof Answer.Deny deny) {
            denied.increment();
            record("{\"decision\":\"deny\",\"subscription\":\"" + subscription + "\",\"service\":\"" + service
                    + "\",\"operation\":\"" + operation.name().toLowerCase(java.util.Locale.ROOT) + "\",\"restriction\":\""
                    + deny.restrictionId() + "\",\"treeSize\":" + deny.treeSize() + "}");
        } else {
            allowed.increment();
            if (allowSample > 0 && ThreadLocalRandom.current().nextDouble() < allowSample) {
                record("{\"decision\":\"allow\",\"subscription\":\"" + subscription + "\",\"service\":\"" + service
                        + "\",\"treeSize\":" + a.treeSize() + "}");
            }
        }
        return a;
    }

    private void record(String line) {
        if (!log.offer(line)) {
            dropped.incrementAndGet();
        }
    }

    private void drain() {
        List<String> batch = new ArrayList<>();
        while (!closed) {
            try {
                String first = log.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                log.drainTo(batch, 10_000);
                for (String line : batch) {
                    DECISIONS.info(line);
                }
                logged.addAndGet(batch.size());
                batch.clear();
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Entries written to the decision log, and entries dropped because it was full. */
    record LogStats(long logged, long dropped, int queued) {
    }

    /** Answers given since start. */
    record Counts(long allow, long deny) {
    }

    Counts counts() {
        return new Counts(allowed.sum(), denied.sum());
    }

    LogStats stats() {
        return new LogStats(logged.get(), dropped.get(), log.size());
    }

    private static Set<String> list(String csv) {
        return csv == null || csv.isEmpty() ? Set.of() : new HashSet<>(Arrays.asList(csv.split(",")));
    }

    private static long seconds(String iso) {
        return Instant.parse(iso).getEpochSecond();
    }

    @Override
    public void close() {
        closed = true;
        writer.interrupt();
    }
}
