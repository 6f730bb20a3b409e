package dev.warden.bench;

import dev.warden.access.Tokens;
import dev.warden.decision.Decisions;
import dev.warden.enforcement.Answer;
import dev.warden.enforcement.Follower;
import dev.warden.enforcement.Operation;
import dev.warden.event.Event;
import dev.warden.event.Journal;
import dev.warden.inventory.Inventory;
import dev.warden.ledger.note.SignerKey;
import dev.warden.ledger.note.VerifierKey;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;
import dev.warden.review.Review;
import dev.warden.server.WardenServer;
import dev.warden.storage.Database;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Propagation: from an approval committed on the server to three follower JVMs all denying.
 * The server runs here on SQLite; each follower is a separate JVM that follows the server (by its
 * checkpoint watch stream, or by polling alone), is told which subscription to look at, asks
 * {@code decide} every 0.2 ms until it is denied (a busy spin in three JVMs would starve the
 * server of the machine's two cores), and reports the wall clock time it saw the DENY. Latency =
 * the latest of the three minus the moment the second approval returned. Prints every round,
 * then p50 and p99.
 *
 * <p>Run: {@code bench/run propagation [rounds] [pollMillis] [watch|poll]}; with {@code watch}
 * (the default) polling is only the fallback.
 */
public final class Propagation {
    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("child")) {
            child(args);
            return;
        }
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 50;
        int pollMillis = args.length > 1 ? Integer.parseInt(args[1]) : 50;
        boolean watch = args.length <= 2 || args[2].equals("watch");
        Path dir = Files.createTempDirectory("warden-propagation-");
        SignerKey key = SignerKey.generate("propagation.warden.local/log");
        try (Database db = Database.sqlite(dir); Journal journal = Journal.open(db, key);
             WardenServer server = WardenServer.start(journal, "127.0.0.1", 0)) {
            Principal admin = Principal.of("ada", Role.ADMIN);
            Principal analyst = Principal.of("ann", Role.ANALYST);
            Inventory inventory = new Inventory(journal);
            inventory.registerCustomer(admin, "acct-1", "Example", "business", "DE");
            for (int i = 0; i < rounds; i++) {
                inventory.registerSubscription(admin, "sub-" + i, "acct-1", "Sub " + i);
            }
            inventory.registerService(admin, "object-storage", "Storage", Set.of("write", "read"));
            String caseId = new Review(journal).openCase(analyst, "acct-1", "Propagation", List.of());
            String token = new Tokens(journal).issue(Principal.SYSTEM, "svc", Set.of(Role.FOLLOWER), null, Duration.ofDays(1))
                    .secret();
            String url = "http://127.0.0.1:" + server.port();
            List<Process> children = new ArrayList<>();
            List<PrintStream> inputs = new ArrayList<>();
            List<BufferedReader> outputs = new ArrayList<>();
            for (int c = 0; c < 3; c++) {
                Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-cp",
                        System.getProperty("java.class.path"), Propagation.class.getName(), "child", url,
                        key.verifierKey().encode(), token, Integer.toString(pollMillis),
                        Boolean.toString(watch))
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                children.add(p);
                inputs.add(new PrintStream(p.getOutputStream(), true, StandardCharsets.UTF_8));
                outputs.add(new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)));
            }
            for (BufferedReader r : outputs) {
                r.readLine(); // "ready"
            }
            Decisions decisions = new Decisions(journal);
            Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
            long[] micros = new long[rounds];
            for (int i = 0; i < rounds; i++) {
                String decision = decisions.propose(analyst, new Decisions.Proposal(caseId,
                        new Event.Scope(List.of("sub-" + i), List.of("object-storage"), List.of(), null, List.of(), List.of()),
                        new Event.Timeline(now, now, now, null), new Event.Grounds(List.of("AUP"), "f", "r", false),
                        "aup", null, null));
                decisions.approve(Principal.of("apollo", Role.APPROVER), decision);
                for (PrintStream in : inputs) {
                    in.println("sub-" + i);
                }
                Thread.sleep(20); // the children start spinning
                decisions.approve(Principal.of("athena", Role.APPROVER), decision);
                long committed = epochMicros();
                long latest = 0;
                for (BufferedReader r : outputs) {
                    latest = Math.max(latest, Long.parseLong(r.readLine()));
                }
                micros[i] = latest - committed;
                System.out.printf("round %2d: all 3 followers deny %.1f ms after the approval committed%n", i + 1,
                        micros[i] / 1000.0);
            }
            for (PrintStream in : inputs) {
                in.println("quit");
            }
            for (Process p : children) {
                p.waitFor();
            }
            Arrays.sort(micros);
            System.out.printf("propagation over %d rounds, 3 follower JVMs %s every %d ms: p50 %.1f ms,"
                    + " p99 %.1f ms, max %.1f ms%n", rounds, watch ? "watching, polling" : "polling", pollMillis, micros[rounds / 2] / 1000.0,
                    micros[Math.min(rounds - 1, (int) Math.ceil(rounds * 0.99) - 1)] / 1000.0, micros[rounds - 1] / 1000.0);
        }
    }

    private static void child(String[] args) throws Exception {
        VerifierKey key = VerifierKey.parse(args[2]);
        try (Follower f = Follower.start(URI.create(args[1]), key, args[3], new Follower.Options(
                Boolean.parseBoolean(args[5]), Duration.ofMillis(Integer.parseInt(args[4])), Duration.ofSeconds(30), Follower.FailMode.LAST_KNOWN, Set.of()))) {
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.out.println("ready");
            System.out.flush();
            long at = Instant.now().getEpochSecond() + 60;
            for (String sub; (sub = in.readLine()) != null && !sub.equals("quit"); ) {
                while (!(f.decide(sub, "object-storage", Operation.WRITE, "any", at) instanceof Answer.Deny)) {
                    java.util.concurrent.locks.LockSupport.parkNanos(200_000);
                }
                System.out.println(epochMicros());
                System.out.flush();
            }
        }
    }

    private static long epochMicros() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000 + i.getNano() / 1000;
    }
}
