package dev.warden.server;

import com.sun.net.httpserver.HttpServer;
import dev.warden.appeal.Appeals;
import dev.warden.decision.Decisions;
import dev.warden.enforcement.Answer;
import dev.warden.enforcement.Follower;
import dev.warden.enforcement.FollowerException;
import dev.warden.enforcement.Operation;
import dev.warden.event.Event;
import dev.warden.inventory.Inventory;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;
import dev.warden.review.Review;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The decision point's follower against a real server: it follows approvals and appeals, and it
 * refuses a forged checkpoint, a forked entry bundle and a rollback served by a deliberately bad
 * server in between, keeping its last good snapshot.
 */
class FollowerTest {
    static final Principal ANALYST = Principal.of("ann", Role.ANALYST);
    static final Principal ADMIN = Principal.of("ada", Role.ADMIN);

    @TempDir
    Path dir;
    ApiServer api;
    HttpServer proxy;
    volatile BiFunction<String, byte[], byte[]> mutate = (path, body) -> body;
    String decision;
    long effectiveAt;

    @BeforeEach
    void start() throws IOException {
        api = new ApiServer(dir);
        Inventory inventory = new Inventory(api.journal);
        inventory.registerCustomer(ADMIN, "acct-1", "Example", "government", "XA");
        inventory.registerSubscription(ADMIN, "sub-1", "acct-1", "One");
        inventory.registerSubscription(ADMIN, "sub-2", "acct-1", "Two");
        inventory.registerService(ADMIN, "object-storage", "Storage", Set.of("write", "read", "export"));
        inventory.registerService(ADMIN, "speech-to-text", "AI and Machine Learning", Set.of("invoke"));
        inventory.registerRegion(ADMIN, "xa-east-1", "XA East");
        String caseId = new Review(api.journal).openCase(ANALYST, "acct-1", "Case", List.of());
        Instant now = api.clock.instant();
        Instant effective = now.plus(Duration.ofDays(2));
        effectiveAt = effective.getEpochSecond();
        decision = new Decisions(api.journal).propose(ANALYST, new Decisions.Proposal(caseId,
                new Event.Scope(List.of("sub-1"), List.of("object-storage", "speech-to-text"), List.of(), null,
                        List.of(), List.of()),
                new Event.Timeline(now.plus(Duration.ofDays(1)), effective, effective.plus(Duration.ofDays(7)), null),
                new Event.Grounds(List.of("AUP 4.2"), "Facts", "Rationale", false), "aup-4.2", null, null));
        // A proxy between the follower and the server, which a test can make lie.
        HttpClient upstream = HttpClient.newHttpClient();
        proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        proxy.createContext("/", exchange -> {
            String path = exchange.getRequestURI().toString();
            HttpRequest.Builder b = HttpRequest.newBuilder(api.uri(path));
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            if (auth != null) {
                b.header("Authorization", auth);
            }
            try {
                HttpResponse<byte[]> r = upstream.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                byte[] body = mutate.apply(path, r.body());
                r.headers().firstValue("Content-Type").ifPresent(v -> exchange.getResponseHeaders().add("Content-Type", v));
                exchange.sendResponseHeaders(r.statusCode(), body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                exchange.close();
            }
        });
        proxy.start();
    }

    @AfterEach
    void stop() {
        proxy.stop(0);
        api.close();
    }

    Follower follower() {
        String token = api.token("svc-storage", Role.FOLLOWER);
        return Follower.start(URI.create("http://127.0.0.1:" + proxy.getAddress().getPort()), ApiServer.KEY.verifierKey(),
                token, new Follower.Options(false, Duration.ofMillis(20), Duration.ofSeconds(30), Follower.FailMode.LAST_KNOWN, Set.of()));
    }

    @Test
    void follower_deniesOnceTheDecisionTakesEffect_andAllowsWhatAnAppealLifted() throws Exception {
        try (Follower f = follower()) {
            assertThat(f.awaitSize(api.ledgerSize(), Duration.ofSeconds(10))).isTrue();
            assertThat(f.decide("sub-1", "object-storage", Operation.WRITE, "xa-east-1", effectiveAt))
                    .as("proposed is not in force").isInstanceOf(Answer.Allow.class);
            Decisions decisions = new Decisions(api.journal);
            decisions.approve(Principal.of("apollo", Role.APPROVER), decision);
            decisions.approve(Principal.of("athena", Role.APPROVER), decision);
            assertThat(f.awaitSize(api.ledgerSize(), Duration.ofSeconds(10))).isTrue();
            Answer denied = f.decide("sub-1", "object-storage", Operation.WRITE, "xa-east-1", effectiveAt);
            assertThat(denied).isInstanceOf(Answer.Deny.class);
            assertThat(((Answer.Deny) denied).reasonCode()).isEqualTo("aup-4.2");
            assertThat(denied.treeSize()).isEqualTo(api.ledgerSize());
            assertThat(f.decide("sub-1", "object-storage", Operation.EXPORT, "xa-east-1", effectiveAt))
                    .as("retrieval window").isInstanceOf(Answer.Allow.class);
            assertThat(f.decide("sub-2", "object-storage", Operation.WRITE, "xa-east-1", effectiveAt)).isInstanceOf(Answer.Allow.class);

            Appeals appeals = new Appeals(api.journal);
            String appeal = appeals.file(Principal.customer("ops", "acct-1"), decision, "speech is for a hospital");
            appeals.assign(ANALYST, appeal, "una");
            appeals.decide(Principal.of("una", Role.REVIEWER), appeal, "partly-reversed", "hospital",
                    Map.of("sub-1", List.of("speech-to-text")));
            assertThat(f.awaitSize(api.ledgerSize(), Duration.ofSeconds(10))).isTrue();
            assertThat(f.decide("sub-1", "speech-to-text", Operation.INVOKE, "xa-east-1", effectiveAt)).isInstanceOf(Answer.Allow.class);
            assertThat(f.decide("sub-1", "object-storage", Operation.WRITE, "xa-east-1", effectiveAt)).isInstanceOf(Answer.Deny.class);
        }
    }

    @Test
    void follower_refusesAForgedCheckpoint_aForkedBundle_andARollback_keepingItsLastGoodSnapshot() throws Exception {
        Decisions decisions = new Decisions(api.journal);
        decisions.approve(Principal.of("apollo", Role.APPROVER), decision);
        decisions.approve(Principal.of("athena", Role.APPROVER), decision);
        try (Follower f = follower()) {
            assertThat(f.awaitSize(api.ledgerSize(), Duration.ofSeconds(10))).isTrue();
            long good = f.size();
            String accepted = api.journal.ledger().checkpoint();

            // Forged: the checkpoint's size changed after signing.
            mutate = (path, body) -> path.equals("/log/checkpoint")
                    ? new String(body, StandardCharsets.UTF_8).replaceFirst("\n" + api.journal.ledger().size() + "\n", "\n999\n")
                            .getBytes(StandardCharsets.UTF_8) : body;
            new Review(api.journal).receiveReport(ANALYST, "ngo", "more", List.of(), null);
            assertThatThrownBy(f::sync).isInstanceOf(FollowerException.class).hasMessageContaining("forged");

            // Forked: an entry of a new bundle altered in transit.
            mutate = (path, body) -> {
                if (path.startsWith("/log/tile/entries/")) {
                    byte[] copy = body.clone();
                    copy[copy.length - 3] ^= 1;
                    return copy;
                }
                return body;
            };
            assertThatThrownBy(f::sync).isInstanceOf(FollowerException.class).hasMessageContaining("forked or altered");

            // Rolled back: an older, genuinely signed checkpoint served again after a newer one.
            mutate = (path, body) -> body;
            f.sync();
            long newer = f.size();
            assertThat(newer).isGreaterThan(good);
            mutate = (path, body) -> path.equals("/log/checkpoint") ? accepted.getBytes(StandardCharsets.UTF_8) : body;
            assertThatThrownBy(f::sync).isInstanceOf(FollowerException.class).hasMessageContaining("rolled back");

            assertThat(f.size()).as("the last good snapshot stays").isEqualTo(newer);
            assertThat(f.decide("sub-1", "object-storage", Operation.WRITE, "xa-east-1", effectiveAt)).isInstanceOf(Answer.Deny.class);
        }
    }

    @Test
    void watchingFollower_deniesAsSoonAsTheApprovalIsAnnounced_withoutPolling() throws Exception {
        String token = api.token("svc-storage", Role.FOLLOWER);
        // Direct to the server: the lying proxy buffers whole responses, which a stream never ends.
        try (Follower f = Follower.start(api.uri("/"), ApiServer.KEY.verifierKey(), token,
                new Follower.Options(true, Duration.ofHours(1), Duration.ofHours(2), Follower.FailMode.LAST_KNOWN, Set.of()))) {
            assertThat(f.awaitSize(api.ledgerSize(), Duration.ofSeconds(10))).isTrue();
            Decisions decisions = new Decisions(api.journal);
            decisions.approve(Principal.of("apollo", Role.APPROVER), decision);
            decisions.approve(Principal.of("athena", Role.APPROVER), decision);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (f.size() < api.ledgerSize() && System.nanoTime() < deadline) {
                Thread.sleep(5); // only waiting: awaitSize would sync by itself
            }
            assertThat(f.size()).as("synced by the announcement alone").isEqualTo(api.ledgerSize());
            assertThat(f.decide("sub-1", "object-storage", Operation.WRITE, "xa-east-1", effectiveAt)).isInstanceOf(Answer.Deny.class);
            assertThat(f.metrics()).contains("warden_follower_tree_size " + api.ledgerSize() + ".0")
                    .contains("warden_follower_stale 0.0").contains("warden_follower_refusals_total 0")
                    .containsPattern("warden_follower_announcements_total [1-9]");
        }
    }
}
