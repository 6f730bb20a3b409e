package dev.warden.enforcement;

import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.checkpoint.CheckpointException;
import dev.warden.ledger.note.VerifierKey;
import dev.warden.ledger.tile.EntryBundle;
import dev.warden.ledger.tile.TileId;
import dev.warden.ledger.tree.CompactRange;
import dev.warden.ledger.tree.Hash;
import dev.warden.ledger.tree.Hasher;
import dev.warden.ledger.verifier.HttpTileSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Keeps a {@link Decider} in step with a Warden server's ledger, for a provider service to embed.
 *
 * <p>It reads the public checkpoint and entry bundles (C2SP tlog-tiles), and checks as it goes:
 * the checkpoint's signature under the log's verifier key; that the log never shrinks; and that
 * every entry since the last accepted size, appended to the compact range of everything accepted
 * before, gives exactly the signed root. A forged checkpoint, a rollback, a forked history or a
 * changed entry is refused, logged loudly, and leaves the last good snapshot in place. Bodies of
 * the events that change restrictions are fetched with a follower token and checked against their
 * envelope's {@code bodyHash}.
 *
 * <p>When it cannot sync for longer than the staleness bound, {@link #decide} answers by the fail
 * mode. Thread-safe.
 */
public final class Follower implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Follower.class.getName());
    /** The event types whose bodies change restrictions: all a follower reads, and may read. */
    public static final Set<String> ENFORCEMENT_TYPES = Set.of("decision.took-effect", "restriction.narrowed", "decision.lapsed");

    /** What to answer when the follower is stale. */
    public enum FailMode {
        /** Keep answering from the last good snapshot (the answers say how old it is). */
        LAST_KNOWN,
        /** Deny the services named as high-risk; answer the rest from the last good snapshot. */
        CLOSED,
        /** Allow everything, and count it as an alarm. */
        OPEN
    }

    /**
     * Settings.
     *
     * @param watch            follow the server's checkpoint announcements ({@code /log/watch}, server-sent
     *                         events) and sync as soon as one arrives; polling goes on beside it, as the fallback
     * @param pollEvery        how often to poll the checkpoint
     * @param staleAfter       when the follower counts as stale: no successful sync for this long
     * @param failMode         what it answers when stale
     * @param highRiskServices the services {@link FailMode#CLOSED} denies
     */
    public record Options(boolean watch, Duration pollEvery, Duration staleAfter, FailMode failMode,
            Set<String> highRiskServices) {
        public Options {
            highRiskServices = Set.copyOf(highRiskServices);
        }
    }

    private final URI base;
    private final VerifierKey key;
    private final String token;
    private final Options options;
    private final HttpTileSource tiles;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Thread poller;
    private final Thread watcher;
    private volatile Stream<String> watchStream;
    private final AtomicLong staleAnswers = new AtomicLong();
    private final AtomicLong syncs = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final AtomicLong announcements = new AtomicLong();
    private final Object syncLock = new Object();

    // Guarded by syncLock; decider is also read without it.
    private long size;
    private CompactRange range = new CompactRange();
    private final Map<String, Restriction> active = new HashMap<>();
    private final Map<String, Set<String>> byDecision = new HashMap<>();
    private volatile Decider decider = Decider.empty();
    private volatile long lastSyncNanos = System.nanoTime();
    private volatile boolean closed;

    private Follower(URI base, VerifierKey key, String token, Options options) {
        String b = base.toString();
        this.base = URI.create(b.endsWith("/") ? b.substring(0, b.length() - 1) : b);
        this.key = key;
        this.token = token;
        this.options = options;
        this.tiles = new HttpTileSource(URI.create(this.base + "/log"));
        this.poller = Thread.ofPlatform().daemon().name("warden-follower").unstarted(this::poll);
        this.watcher = options.watch() ? Thread.ofPlatform().daemon().name("warden-follower-watch").unstarted(this::watch) : null;
    }

    /** Starts following the server at {@code base} (its root URL) with a follower {@code token}. */
    public static Follower start(URI base, VerifierKey key, String token, Options options) {
        Follower f = new Follower(base, key, token, options);
        f.poller.start();
        if (f.watcher != null) {
            f.watcher.start();
        }
        return f;
    }

    /** {@link Decider#decide}, unless stale: then by the fail mode. */
    public Answer decide(String subscription, String service, Operation operation, String region, long at) {
        Decider d = decider;
        if (stale()) {
            staleAnswers.incrementAndGet();
            switch (options.failMode()) {
                case OPEN:
                    return new Answer.Allow(d.treeSize());
                case CLOSED:
                    if (options.highRiskServices().contains(service)) {
                        return new Answer.Deny(d.treeSize(), "stale", null, "follower-stale-closed");
                    }
                    break;
                default:
                    break;
            }
        }
        return d.decide(subscription, service, operation, region, at);
    }

    /** Whether the last successful sync is older than the staleness bound. */
    public boolean stale() {
        return Duration.ofNanos(System.nanoTime() - lastSyncNanos).compareTo(options.staleAfter()) > 0;
    }

    /** How long since the last successful sync (the sync lag metric). */
    public Duration lag() {
        return Duration.ofNanos(System.nanoTime() - lastSyncNanos);
    }

    /** How many answers were given while stale (the alarm metric). */
    public long staleAnswers() {
        return staleAnswers.get();
    }

    /**
     * The follower's metrics in the Prometheus text exposition format (version 0.0.4), for the
     * embedding service to append to what it serves at its own {@code /metrics}: sync lag,
     * staleness, answers given while stale, the snapshot's tree size, syncs, refusals and
     * announcements received.
     */
    public String metrics() {
        StringBuilder out = new StringBuilder(768);
        gauge(out, "warden_follower_lag_seconds", "Seconds since the last successful sync.", lag().toNanos() / 1e9);
        gauge(out, "warden_follower_stale", "1 while the last successful sync is older than the staleness bound.",
                stale() ? 1 : 0);
        counter(out, "warden_follower_stale_answers_total", "Answers given while stale, by the fail mode.", staleAnswers.get());
        gauge(out, "warden_follower_tree_size", "Ledger size of the snapshot answering now.", decider.treeSize());
        counter(out, "warden_follower_syncs_total", "Successful syncs.", syncs.get());
        counter(out, "warden_follower_refusals_total", "Syncs refused: forged, rolled back, forked, or unreachable.",
                refusals.get());
        counter(out, "warden_follower_announcements_total", "Checkpoint announcements received over the watch stream.",
                announcements.get());
        return out.toString();
    }

    private static void gauge(StringBuilder out, String name, String help, double value) {
        header(out, name, help, "gauge").append(name).append(' ').append(value).append('\n');
    }

    private static void counter(StringBuilder out, String name, String help, long value) {
        header(out, name, help, "counter").append(name).append(' ').append(value).append('\n');
    }

    private static StringBuilder header(StringBuilder out, String name, String help, String type) {
        return out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    /** The ledger size of the current snapshot. */
    public long size() {
        return decider.treeSize();
    }

    /**
     * Waits until the snapshot reflects at least ledger size {@code n}, so that a caller that just
     * made a change can read its own write.
     */
    public boolean awaitSize(long n, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (decider.treeSize() < n) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                sync();
            } catch (FollowerException e) {
                // logged in sync(); keep trying until the deadline
            }
            if (decider.treeSize() < n) {
                Thread.sleep(10);
            }
        }
        return true;
    }

    private void poll() {
        while (!closed) {
            try {
                sync();
            } catch (FollowerException e) {
                // refused and logged; the last good snapshot stays
            }
            try {
                Thread.sleep(options.pollEvery().toMillis());
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /**
     * Reads the server's checkpoint announcements, a server-sent event stream (WHATWG HTML §9.2.6:
     * fields up to the first colon, one optional space after it, {@code data} lines joined by line
     * feeds, an empty line dispatches), and syncs from each announced checkpoint at once. The
     * stream is reopened after a failure, backing off up to 5 s; polling covers the gap.
     */
    private void watch() {
        URI uri = URI.create(base + "/log/watch");
        long backoffMillis = 100;
        while (!closed) {
            HttpRequest request = HttpRequest.newBuilder(uri).header("Accept", "text/event-stream").GET().build();
            try {
                HttpResponse<Stream<String>> r = http.send(request, HttpResponse.BodyHandlers.ofLines());
                try (Stream<String> lines = r.body()) {
                    if (r.statusCode() != 200) {
                        throw new IOException("HTTP " + r.statusCode());
                    }
                    watchStream = lines;
                    String event = "message";
                    StringBuilder data = new StringBuilder();
                    for (Iterator<String> it = lines.iterator(); !closed && it.hasNext(); ) {
                        String line = it.next();
                        if (line.isEmpty()) {
                            if (event.equals("checkpoint") && !data.isEmpty()) {
                                announcements.incrementAndGet();
                                backoffMillis = 100;
                                try {
                                    sync(data.toString()); // a note ends with a newline, as the joined lines do
                                } catch (FollowerException e) {
                                    // refused and logged; the last good snapshot stays
                                }
                            }
                            event = "message";
                            data.setLength(0);
                        } else if (!line.startsWith(":")) {
                            int colon = line.indexOf(':');
                            String field = colon < 0 ? line : line.substring(0, colon);
                            String value = colon < 0 ? "" : line.substring(colon + (line.startsWith(" ", colon + 1) ? 2 : 1));
                            if (field.equals("event")) {
                                event = value;
                            } else if (field.equals("data")) {
                                data.append(value).append('\n');
                            }
                        }
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                if (!closed) {
                    LOG.log(System.Logger.Level.WARNING, "checkpoint watch at " + uri + " failed (" + e.getMessage()
                            + "); polling every " + options.pollEvery().toMillis() + " ms until it is back");
                }
            } catch (InterruptedException e) {
                return;
            }
            try {
                Thread.sleep(backoffMillis);
            } catch (InterruptedException e) {
                return;
            }
            backoffMillis = Math.min(backoffMillis * 2, 5000);
        }
    }

    /**
     * One round: fetch the checkpoint, verify it and every new entry, apply the restriction
     * changes, publish a new snapshot.
     *
     * @throws FollowerException if the server served something that does not verify
     */
    public void sync() throws FollowerException {
        sync(null);
    }

    /** {@link #sync()}, starting from a checkpoint note the server pushed, or fetching one if null. */
    private void sync(String pushed) throws FollowerException {
        synchronized (syncLock) {
            try {
                if (syncLocked(pushed)) {
                    lastSyncNanos = System.nanoTime();
                    syncs.incrementAndGet();
                }
            } catch (FollowerException e) {
                refusals.incrementAndGet();
                if (!closed) {
                    LOG.log(System.Logger.Level.ERROR, "REFUSED log at " + base + ": " + e.getMessage());
                }
                throw e;
            }
        }
    }

    /** @return whether the follower is now at the server's latest checkpoint */
    private boolean syncLocked(String pushed) throws FollowerException {
        Checkpoint cp;
        try {
            cp = Checkpoint.open(pushed != null ? pushed : tiles.checkpoint(), key);
        } catch (CheckpointException e) {
            throw new FollowerException("forged or foreign checkpoint: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new FollowerException("couldn't fetch the checkpoint: " + e.getMessage(), e);
        }
        if (pushed != null && cp.size() < size) {
            return false; // announced before a poll overtook it: nothing new, and no evidence of a rollback
        }
        if (cp.size() < size) {
            throw new FollowerException("rolled back: the log now has " + cp.size() + " entries, " + size + " were accepted");
        }
        if (cp.size() == size) {
            if (!cp.root().equals(range.root())) {
                throw new FollowerException("forked: a second root " + cp.root() + " for size " + size);
            }
            return true;
        }
        CompactRange next = range.copy();
        List<byte[]> fresh = new ArrayList<>();
        Hasher hasher = Hasher.get();
        for (long b = size >>> TileId.HEIGHT; b * TileId.FULL < cp.size(); b++) {
            int width = TileId.widthAt(0, b, cp.size());
            List<byte[]> entries;
            try {
                byte[] bundle = tiles.tile(TileId.bundle(b, width));
                if (EntryBundle.prefixLength(bundle, width) != bundle.length) {
                    throw new FollowerException("entry bundle " + b + " has bytes after its " + width + " entries");
                }
                entries = EntryBundle.decode(bundle, width);
            } catch (IOException | IllegalArgumentException e) {
                throw new FollowerException("couldn't read entry bundle " + b + ": " + e.getMessage(), e);
            }
            for (int i = 0; i < width; i++) {
                long index = b * TileId.FULL + i;
                if (index >= size) {
                    next.append(hasher.leaf(entries.get(i)));
                    fresh.add(entries.get(i));
                }
            }
        }
        if (!next.root().equals(cp.root())) {
            throw new FollowerException("forked or altered: the entries give root " + next.root() + " at size " + cp.size()
                    + ", the signed checkpoint says " + cp.root());
        }
        // Apply the restriction changes to copies, so a bad body leaves the state untouched.
        Map<String, Restriction> nextActive = new HashMap<>(active);
        Map<String, Set<String>> nextByDecision = new HashMap<>();
        byDecision.forEach((k, v) -> nextByDecision.put(k, new HashSet<>(v)));
        Set<Restriction> added = new LinkedHashSet<>();
        Set<Restriction> removed = new LinkedHashSet<>();
        for (int i = 0; i < fresh.size(); i++) {
            long index = size + i;
            Map<String, Object> envelope;
            try {
                envelope = Json.object(Json.parse(new String(fresh.get(i), StandardCharsets.UTF_8)), "entry");
            } catch (IllegalArgumentException e) {
                continue; // an entry that is not an event envelope changes no restriction
            }
            Object type = envelope.get("type");
            if (!(type instanceof String t) || !ENFORCEMENT_TYPES.contains(t)) {
                continue;
            }
            Map<String, Object> data = body(index, Json.string(envelope.get("bodyHash"), "bodyHash"), t);
            apply(t, data, nextActive, nextByDecision, added, removed);
        }
        active.clear();
        active.putAll(nextActive);
        byDecision.clear();
        byDecision.putAll(nextByDecision);
        decider = decider.apply(added, removed, cp.size());
        range = next;
        size = cp.size();
        return true;
    }

    /** Fetches the body of entry {@code index}, checks it against {@code bodyHash}, and returns its data. */
    private Map<String, Object> body(long index, String bodyHash, String type) throws FollowerException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/v1/enforcement/entries/" + index))
                .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).GET().build();
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new FollowerException("couldn't fetch the body of entry " + index + ": HTTP " + r.statusCode());
            }
            Map<String, Object> reply = Json.object(Json.parse(r.body()), "reply");
            byte[] salt = Base64.getDecoder().decode(Json.string(reply.get("salt"), "salt"));
            byte[] body = Base64.getDecoder().decode(Json.string(reply.get("body"), "body"));
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(salt);
            md.update(body);
            if (!new Hash(md.digest()).equals(Hash.fromBase64(bodyHash))) {
                throw new FollowerException("the body of entry " + index + " does not match its envelope's bodyHash");
            }
            Map<String, Object> parsed = Json.object(Json.parse(new String(body, StandardCharsets.UTF_8)), "body");
            if (!type.equals(parsed.get("type"))) {
                throw new FollowerException("the body of entry " + index + " is a " + parsed.get("type") + ", not " + type);
            }
            return Json.object(parsed.get("data"), "data");
        } catch (IOException e) {
            throw new FollowerException("couldn't fetch the body of entry " + index + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FollowerException("interrupted", e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        } catch (IllegalArgumentException e) {
            throw new FollowerException("malformed body of entry " + index + ": " + e.getMessage(), e);
        }
    }

    private static void apply(String type, Map<String, Object> data, Map<String, Restriction> active,
            Map<String, Set<String>> byDecision, Set<Restriction> added, Set<Restriction> removed) {
        switch (type) {
            case "decision.took-effect" -> {
                String decision = Json.string(data.get("decisionId"), "decisionId");
                for (Object o : Json.array(data.get("restrictions"), "restrictions")) {
                    Restriction r = restriction(Json.object(o, "restriction"));
                    active.put(r.id(), r);
                    byDecision.computeIfAbsent(decision, k -> new HashSet<>()).add(r.id());
                    added.add(r);
                }
            }
            case "restriction.narrowed" -> {
                Restriction r = active.get(Json.string(data.get("restrictionId"), "restrictionId"));
                if (r == null) {
                    return;
                }
                Set<String> lifted = new HashSet<>();
                Json.array(data.get("services"), "services").forEach(s -> lifted.add(Json.string(s, "service")));
                Set<String> left = new HashSet<>(r.services());
                if (lifted.isEmpty()) {
                    left.clear();
                } else {
                    left.removeAll(lifted);
                }
                added.remove(r);
                if (left.isEmpty()) {
                    active.remove(r.id());
                    removed.add(r);
                } else {
                    Restriction narrowed = new Restriction(r.id(), r.subscription(), left, r.operations(), r.regions(),
                            r.carveOuts(), r.noticeAt(), r.effectiveAt(), r.retrievalUntil(), r.endAt(), r.caseRef(),
                            r.reasonCode());
                    active.put(r.id(), narrowed);
                    added.add(narrowed); // an id already there is replaced
                }
            }
            default -> { // decision.lapsed
                Set<String> ids = byDecision.remove(Json.string(data.get("decisionId"), "decisionId"));
                if (ids != null) {
                    for (String id : ids) {
                        Restriction r = active.remove(id);
                        if (r != null) {
                            added.remove(r);
                            removed.add(r);
                        }
                    }
                }
            }
        }
    }

    /** A restriction from the JSON of core's {@code Event.Restriction}. */
    static Restriction restriction(Map<String, Object> o) {
        Map<String, Object> t = Json.object(o.get("timeline"), "timeline");
        Set<Operation> ops = EnumSet.noneOf(Operation.class);
        for (Object op : Json.array(o.get("operations"), "operations")) {
            ops.add(Operation.valueOf(Json.string(op, "operation").toUpperCase(java.util.Locale.ROOT)));
        }
        return new Restriction(Json.string(o.get("restrictionId"), "restrictionId"),
                Json.string(o.get("subscriptionId"), "subscriptionId"), strings(o.get("services")), ops,
                strings(o.get("regions")), strings(o.get("carveOuts")), seconds(t.get("noticeAt")),
                seconds(t.get("effectiveAt")), seconds(t.get("retrievalUntil")),
                t.get("endAt") == null ? Restriction.OPEN_END : seconds(t.get("endAt")),
                Json.string(o.get("caseId"), "caseId"), Json.string(o.get("reasonCode"), "reasonCode"));
    }

    private static Set<String> strings(Object array) {
        Set<String> out = new HashSet<>();
        for (Object v : Json.array(array, "list")) {
            out.add(Json.string(v, "item"));
        }
        return out;
    }

    private static long seconds(Object iso) {
        return Instant.parse(Json.string(iso, "instant")).getEpochSecond();
    }

    @Override
    public void close() {
        closed = true;
        poller.interrupt();
        if (watcher != null) {
            watcher.interrupt();
            Stream<String> open = watchStream;
            if (open != null) {
                open.close(); // unblocks the watcher's read
            }
        }
    }
}
