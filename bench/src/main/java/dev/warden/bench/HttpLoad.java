package dev.warden.bench;

import dev.warden.access.Tokens;
import dev.warden.decision.Decisions;
import dev.warden.event.Event;
import dev.warden.event.Journal;
import dev.warden.inventory.Inventory;
import dev.warden.ledger.note.SignerKey;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;
import dev.warden.review.Review;
import dev.warden.server.WardenServer;
import dev.warden.storage.Database;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * HTTP decisions on loopback with keep-alive, from a Java load generator in the same JVM as the
 * server (2 cores shared): single requests at full load, batches of 1,000, then single requests
 * at half the measured maximum, for latency percentiles.
 *
 * <p>Run: {@code bench/run load [seconds] [clients]}.
 */
public final class HttpLoad {
    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 10;
        int clients = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        SignerKey key = SignerKey.generate("load.warden.local/log");
        try (Database db = Database.sqlite(Files.createTempDirectory("warden-load-")); Journal journal = Journal.open(db, key);
             WardenServer server = WardenServer.start(journal, "127.0.0.1", 0)) {
            Principal admin = Principal.of("ada", Role.ADMIN);
            Principal analyst = Principal.of("ann", Role.ANALYST);
            Inventory inv = new Inventory(journal);
            inv.registerCustomer(admin, "acct-1", "Example", "business", "DE");
            for (int i = 0; i < 100; i++) {
                inv.registerSubscription(admin, "sub-" + i, "acct-1", "Sub " + i);
            }
            inv.registerService(admin, "object-storage", "Storage", Set.of("write", "read"));
            String caseId = new Review(journal).openCase(analyst, "acct-1", "Load", List.of());
            Instant now = Instant.now();
            String decision = new Decisions(journal).propose(analyst, new Decisions.Proposal(caseId,
                    new Event.Scope(List.of("sub-1", "sub-2"), List.of("object-storage"), List.of(), null, List.of(), List.of()),
                    new Event.Timeline(now, now, now, null), new Event.Grounds(List.of("AUP"), "f", "r", false), "aup", null, null));
            new Decisions(journal).approve(Principal.of("apollo", Role.APPROVER), decision);
            new Decisions(journal).approve(Principal.of("athena", Role.APPROVER), decision);
            String token = new Tokens(journal).issue(Principal.SYSTEM, "svc", Set.of(Role.FOLLOWER), null, Duration.ofDays(1)).secret();
            String base = "http://127.0.0.1:" + server.port();
            String one = "{\"subscription\":\"sub-%d\",\"service\":\"object-storage\",\"operation\":\"write\",\"region\":\"eu-1\"}";
            StringBuilder batch = new StringBuilder("{\"requests\":[");
            for (int i = 0; i < 1000; i++) {
                batch.append(i == 0 ? "" : ",").append(String.format(one, i % 100));
            }
            String batchBody = batch.append("]}").toString();

            run(base + "/v1/decide", token, String.format(one, 1), clients, 2, 0, 1); // warm up
            Result single = run(base + "/v1/decide", token, String.format(one, 1), clients, seconds, 0, 1);
            Result batched = run(base + "/v1/decide/batch", token, batchBody, clients / 2, seconds, 0, 1000);
            double half = single.requestsPerSecond() / 2;
            Result paced = run(base + "/v1/decide", token, String.format(one, 1), clients, seconds, half, 1);
            System.out.printf("single:  %,.0f requests/s (%d clients)%n", single.requestsPerSecond(), clients);
            System.out.printf("batched: %,.0f decisions/s (%,.0f calls/s of 1,000, %d clients)%n",
                    batched.requestsPerSecond() * 1000, batched.requestsPerSecond(), clients / 2);
            System.out.printf("at half the single maximum (%,.0f/s offered, %,.0f/s done): p50 %.2f ms, p99 %.2f ms%n",
                    half, paced.requestsPerSecond(), paced.p50Millis(), paced.p99Millis());
            wrk(base, token, String.format(one, 1), batchBody, clients, seconds);
        }
    }

    /**
     * The same loads from wrk (Debian's, a separate C process: far cheaper per request than the
     * JDK client), beside the stack's own ceiling in the same run: wrk on {@code GET /log/checkpoint},
     * which touches no token, no JSON and no database.
     */
    static void wrk(String base, String token, String single, String batch, int clients, int seconds) throws Exception {
        if (new ProcessBuilder("sh", "-c", "command -v wrk").start().waitFor() != 0) {
            System.out.println("wrk: not installed (apt-get install wrk), skipped");
            return;
        }
        double ceiling = wrkRate(base + "/log/checkpoint", null, clients, seconds);
        double one = wrkRate(base + "/v1/decide", post(token, single), clients, seconds);
        double many = wrkRate(base + "/v1/decide/batch", post(token, batch), clients / 2, seconds);
        System.out.printf("wrk GET /log/checkpoint (the stack's ceiling): %,.0f requests/s%n", ceiling);
        System.out.printf("wrk single:  %,.0f requests/s (%.0f%% of the ceiling)%n", one, 100 * one / ceiling);
        System.out.printf("wrk batched: %,.0f decisions/s (%,.0f calls/s of 1,000)%n", many * 1000, many);
        // wrk is closed-loop (no rate setting): fewer connections until the rate is at most half the
        // maximum, then its latency distribution there.
        for (int c = Math.max(1, clients / 4); c >= 1; c /= 2) {
            String out = wrkOutput(base + "/v1/decide", post(token, single), c, seconds, true);
            double rate = rate(out);
            if (rate <= one / 2 || c == 1) {
                System.out.printf("wrk single at %,.0f requests/s (%d connections, %.0f%% of the maximum): %s%n", rate, c,
                        100 * rate / one, out.lines().filter(l -> l.strip().matches("(50|99)%.*"))
                                .map(l -> "p" + l.strip().replaceFirst("%\\s+", " ")).reduce((a, b) -> a + ", " + b).orElse("?"));
                break;
            }
        }
    }

    private static String post(String token, String body) throws Exception {
        java.nio.file.Path script = Files.createTempFile("warden-wrk-", ".lua");
        Files.writeString(script, "wrk.method = \"POST\"\n"
                + "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
                + "wrk.headers[\"Authorization\"] = \"Bearer " + token + "\"\n"
                + "wrk.body = [[" + body + "]]\n");
        return script.toString();
    }

    private static double wrkRate(String url, String script, int connections, int seconds) throws Exception {
        return rate(wrkOutput(url, script, connections, seconds, false));
    }

    private static String wrkOutput(String url, String script, int connections, int seconds, boolean latency) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t1", "-c" + connections, "-d" + seconds + "s"));
        if (latency) {
            cmd.add("--latency");
        }
        if (script != null) {
            cmd.addAll(List.of("-s", script));
        }
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor();
        if (out.contains("Non-2xx")) {
            throw new IllegalStateException("wrk saw errors:\n" + out);
        }
        return out;
    }

    private static double rate(String out) {
        for (String line : out.split("\n")) {
            if (line.startsWith("Requests/sec:")) {
                return Double.parseDouble(line.substring("Requests/sec:".length()).strip());
            }
        }
        throw new IllegalStateException("no rate in wrk's output:\n" + out);
    }

    record Result(double requestsPerSecond, double p50Millis, double p99Millis) {
    }

    /** {@code clients} threads, keep-alive, for {@code seconds}; paced to {@code rate}/s overall when above 0. */
    static Result run(String url, String token, String body, int clients, int seconds, double rate, int perCall)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        LongAdder done = new LongAdder();
        AtomicLong failures = new AtomicLong();
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<long[]> latencies = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        long interval = rate > 0 ? (long) (1e9 / (rate / clients)) : 0;
        for (int c = 0; c < clients; c++) {
            long[] lat = new long[2_000_000];
            latencies.add(lat);
            int[] n = {0};
            Thread t = Thread.ofPlatform().start(() -> {
                long next = System.nanoTime();
                while (System.nanoTime() < end) {
                    if (interval > 0) {
                        long wait = next - System.nanoTime();
                        if (wait > 0) {
                            java.util.concurrent.locks.LockSupport.parkNanos(wait);
                        }
                        next += interval;
                    }
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                        if (r.statusCode() != 200) {
                            failures.incrementAndGet();
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                    }
                    if (n[0] < lat.length) {
                        lat[n[0]++] = System.nanoTime() - (interval > 0 ? Math.min(t0, next - interval) : t0);
                    }
                    done.increment();
                }
                lat[lat.length - 1] = n[0];
            });
            threads.add(t);
        }
        for (Thread t : threads) {
            t.join();
        }
        if (failures.get() > 0) {
            System.out.println("failures: " + failures.get());
        }
        long total = 0;
        for (long[] lat : latencies) {
            total += lat[lat.length - 1];
        }
        long[] all = new long[(int) total];
        int k = 0;
        for (long[] lat : latencies) {
            int count = (int) lat[lat.length - 1];
            System.arraycopy(lat, 0, all, k, count);
            k += count;
        }
        Arrays.sort(all);
        double p50 = all.length == 0 ? 0 : all[all.length / 2] / 1e6;
        double p99 = all.length == 0 ? 0 : all[(int) (all.length * 0.99)] / 1e6;
        return new Result(done.sum() / (double) seconds, p50, p99);
    }
}
