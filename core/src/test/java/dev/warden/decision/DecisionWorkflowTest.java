package dev.warden.decision;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.warden.appeal.Appeals;
import dev.warden.event.CanonicalJson;
import dev.warden.event.Event.Grounds;
import dev.warden.event.Event.Scope;
import dev.warden.event.Event.Timeline;
import dev.warden.event.Journal;
import dev.warden.event.Rejection;
import dev.warden.event.Replay;
import dev.warden.event.Sql;
import dev.warden.event.Vocabulary.Operation;
import dev.warden.inventory.Inventory;
import dev.warden.ledger.note.SignerKey;
import dev.warden.ledger.receipt.Receipt;
import dev.warden.notice.NoticeOutbox;
import dev.warden.notice.Notices;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;
import dev.warden.review.Review;
import dev.warden.storage.Database;
import dev.warden.storage.TestDatabases;
import dev.warden.storage.TestDatabases.Backend;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The case that started Warden, through the core commands: a press report, a case, evidence,
 * a scoped decision with a carve-out, two approvals, restrictions, a notice delivered to a real
 * webhook with a receipt that verifies offline, an appeal and a partial reversal, and a replay
 * that reaches the same state.
 */
class DecisionWorkflowTest {
    static final SignerKey KEY = SignerKey.generate("decisions.warden.local/log");
    static final Principal ADMIN = Principal.of("ada", Role.ADMIN);
    static final Principal ANALYST = Principal.of("ann", Role.ANALYST);
    static final Principal REVIEWER = Principal.of("rex", Role.REVIEWER);
    static final Principal APPROVER_1 = Principal.of("apollo", Role.APPROVER);
    static final Principal APPROVER_2 = Principal.of("athena", Role.APPROVER, Role.EMERGENCY);
    static final Principal APPEALS_REVIEWER = Principal.of("una", Role.REVIEWER);
    static final Principal CUSTOMER = Principal.customer("acct-7731-ops", "acct-7731");

    @TempDir
    Path dir;

    record World(Journal journal, MutableClock clock, String caseId) {
    }

    /** A customer with 40 subscriptions, a catalog, a region, a report and a case under review. */
    static World world(Database db, MutableClock clock) {
        Journal journal = Journal.open(db, KEY, clock);
        Inventory inv = new Inventory(journal);
        inv.registerCustomer(ADMIN, "acct-7731", "Northwind Signals Directorate", "government", "XA");
        inv.registerCustomer(ADMIN, "acct-9000", "Other Corp", "business", "DE");
        inv.registerSubscription(ADMIN, "sub-other", "acct-9000", "Other");
        for (int i = 1; i <= 40; i++) {
            inv.registerSubscription(ADMIN, String.format("sub-%02d", i), "acct-7731", "Workload " + i);
        }
        inv.registerService(ADMIN, "object-storage", "Storage", Set.of("provision", "write", "read", "export", "delete"));
        inv.registerService(ADMIN, "speech-to-text", "AI and Machine Learning", Set.of("invoke", "admin"));
        inv.registerService(ADMIN, "translation", "AI and Machine Learning", Set.of("invoke"));
        inv.registerService(ADMIN, "security-center", "Security", Set.of("read", "admin"));
        inv.registerService(ADMIN, "compute", "Compute", Set.of("provision", "admin"));
        inv.registerRegion(ADMIN, "xa-east-1", "XA East");
        inv.registerRegion(ADMIN, "xa-west-1", "XA West");
        Review review = new Review(journal);
        String report = review.receiveReport(ANALYST, "press", "Intercepted calls of civilians stored and transcribed",
                List.of("https://news.example/investigation"), "acct-7731");
        String caseId = review.openCase(ANALYST, "acct-7731", "Alleged mass surveillance of civilians", List.of(report));
        review.assignReviewer(ANALYST, caseId, "rex", false);
        review.attachEvidence(ANALYST, caseId, "billing-extract", "Storage in xa-east-1, 2025", "billing export",
                "month,petabytes\n2025-01,3.0\n2025-07,11.5\n".getBytes(StandardCharsets.UTF_8));
        return new World(journal, clock, caseId);
    }

    static Decisions.Proposal proposal(String caseId, Instant now, List<String> subscriptions) {
        return new Decisions.Proposal(caseId,
                new Scope(subscriptions, List.of("object-storage", "speech-to-text", "translation"), List.of(),
                        null, List.of("xa-east-1"), List.of("security-center")),
                new Timeline(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(3)), now.plus(Duration.ofDays(17)), null),
                new Grounds(List.of("AUP 4.2: no mass surveillance of civilians"), "Storage grew to 11.5 PB in one region;"
                        + " speech and translation volume grew 64 times in six months.", "Proportionate to the risk.", false),
                "aup-4.2", null, Duration.ofDays(30));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void pressReportToPartialReversal_endToEnd_andReplayAgrees(Backend backend) throws Exception {
        List<String> received = new CopyOnWriteArrayList<>();
        List<String> signatures = new CopyOnWriteArrayList<>();
        HttpServer webhook = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int[] failuresLeft = {1};
        webhook.createContext("/hook", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String sig = exchange.getRequestHeaders().getFirst(NoticeOutbox.SIGNATURE);
            String ts = exchange.getRequestHeaders().getFirst(NoticeOutbox.TIMESTAMP);
            boolean valid = sig != null && sig.equals("sha256=" + NoticeOutbox.hmac("whsec-0123456789abcdef", ts, body));
            int status = !valid ? 401 : failuresLeft[0]-- > 0 ? 503 : 200;
            if (status == 200) {
                received.add(new String(body, StandardCharsets.UTF_8));
                signatures.add(exchange.getRequestHeaders().getFirst(NoticeOutbox.NOTICE_ID));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        webhook.start();
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
        try (Database db = TestDatabases.create(backend, dir.resolve("live")).get()) {
            World w = world(db, clock);
            Journal journal = w.journal();
            Decisions decisions = new Decisions(journal);
            Notices notices = new Notices(journal);
            notices.configureWebhook(ADMIN, "acct-7731", "http://127.0.0.1:" + webhook.getAddress().getPort() + "/hook",
                    "whsec-0123456789abcdef");

            // 3 of 40 subscriptions, one region, security carved out.
            String decision = decisions.propose(REVIEWER, proposal(w.caseId(), clock.instant(), List.of("sub-03", "sub-17", "sub-29")));
            Impact impact = decisions.preview(APPROVER_1, decision);
            assertThat(impact.affected()).extracting(Impact.Affected::subscriptionId).containsExactly("sub-03", "sub-17", "sub-29");
            assertThat(impact.affected().get(0).services()).containsExactly("object-storage", "speech-to-text", "translation");
            assertThat(impact.unaffectedSubscriptions()).hasSize(37);
            assertThat(impact.servicesKeptRunning()).containsExactly("compute", "security-center");

            assertThatThrownBy(() -> decisions.approve(Principal.of("rex", Role.APPROVER), decision))
                    .isInstanceOf(Rejection.class).hasMessageContaining("proposed decision");
            assertThat(decisions.approve(APPROVER_1, decision)).isEqualTo(Decisions.Outcome.AWAITING_SECOND_APPROVAL);
            assertThatThrownBy(() -> decisions.approve(APPROVER_1, decision))
                    .isInstanceOf(Rejection.class).hasMessageContaining("already approved");
            assertThat(decisions.approve(APPROVER_2, decision)).isEqualTo(Decisions.Outcome.EFFECTIVE);

            List<List<String>> restrictions = journal.read(c -> Sql.rows(c, "SELECT subscription_id, services, operations,"
                    + " regions, carve_outs, state FROM restriction ORDER BY subscription_id"));
            assertThat(restrictions).hasSize(3);
            assertThat(restrictions.get(0)).containsExactly("sub-03", "object-storage,speech-to-text,translation",
                    "provision,write,read,export,invoke,delete,admin", "xa-east-1", "security-center", "active");

            // The notice: first attempt refused (503), retried after the backoff, delivered with a receipt.
            NoticeOutbox outbox = new NoticeOutbox(journal, Duration.ofSeconds(30), 8);
            assertThat(outbox.deliverDue()).isZero();
            assertThat(outbox.deliverDue()).as("backoff holds the retry").isZero();
            clock.advance(Duration.ofSeconds(31));
            assertThat(outbox.deliverDue()).isEqualTo(1);
            assertThat(outbox.deliverDue()).as("delivered once").isZero();
            assertThat(received).hasSize(1);
            JsonNode payload = CanonicalJson.parse(received.get(0).getBytes(StandardCharsets.UTF_8));
            JsonNode notice = payload.get("notice");
            assertThat(notice.get("customerContentAccessed").asBoolean()).isFalse();
            assertThat(notice.get("restricted")).hasSize(3);
            assertThat(notice.get("notAffected").get("subscriptions")).hasSize(37);
            assertThat(notice.get("evidenceClasses").toString()).contains("billing-extract");
            assertThat(notice.get("sourceTypes").toString()).contains("press");
            assertThat(notice.get("appeal").get("until").asText()).isEqualTo("2026-12-29T12:00:00Z");
            Receipt receipt = Receipt.parse(payload.get("receipt").asText());
            byte[] entry = journal.ledger().entry(notice.get("ledgerEntry").asLong());
            receipt.verify(entry, KEY.verifierKey()); // offline, with the verifier key alone
            assertThat(signatures).containsExactly(notice.get("noticeId").asText());
            List<List<String>> attempts = journal.read(c -> Sql.rows(c, "SELECT attempt, status FROM notice_delivery ORDER BY attempt"));
            assertThat(attempts).containsExactly(List.of("1", "503"), List.of("2", "200"));

            // The customer appeals; an involved reviewer may not take it; an uninvolved one partly reverses.
            Appeals appeals = new Appeals(journal);
            assertThatThrownBy(() -> appeals.file(Principal.customer("acct-9000-ops", "acct-9000"), decision, "not ours"))
                    .isInstanceOf(Rejection.class).hasMessageContaining("no decision");
            String appeal = appeals.file(CUSTOMER, decision, "sub-29 runs a hospital's transcription service.");
            assertThatThrownBy(() -> appeals.assign(ANALYST, appeal, "rex"))
                    .isInstanceOf(Rejection.class).hasMessageContaining("took part in decision");
            assertThatThrownBy(() -> appeals.assign(ANALYST, appeal, "athena"))
                    .isInstanceOf(Rejection.class).hasMessageContaining("took part in decision");
            appeals.assign(ANALYST, appeal, "una");
            assertThatThrownBy(() -> appeals.decide(REVIEWER, appeal, "reversed", "x", null))
                    .isInstanceOf(Rejection.class).hasMessageContaining("assigned to another reviewer");
            appeals.decide(APPEALS_REVIEWER, appeal, "partly-reversed", "sub-29's speech workload is a hospital's.",
                    Map.of("sub-29", List.of("speech-to-text", "translation")));
            List<List<String>> after = journal.read(c -> Sql.rows(c, "SELECT subscription_id, services, state FROM restriction"
                    + " ORDER BY subscription_id"));
            assertThat(after).containsExactly(
                    List.of("sub-03", "object-storage,speech-to-text,translation", "active"),
                    List.of("sub-17", "object-storage,speech-to-text,translation", "active"),
                    List.of("sub-29", "object-storage", "active"));

            try (Database target = Database.sqlite(dir.resolve("replay"))) {
                Replay.Result result = Replay.run(db, KEY.verifierKey(), target);
                assertThat(result.matches()).as("replayed %s vs live %s", result.replayed(), result.live()).isTrue();
            }
            journal.close();
        } finally {
            webhook.stop(0);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void racingApprovals_applyTheDecisionExactlyOnce(Backend backend) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
        try (Database db = TestDatabases.create(backend, dir.resolve("live")).get()) {
            World w = world(db, clock);
            Decisions decisions = new Decisions(w.journal());
            String decision = decisions.propose(REVIEWER, proposal(w.caseId(), clock.instant(), List.of("sub-01", "sub-02")));
            decisions.approve(APPROVER_1, decision);
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<CompletableFuture<Object>> racers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Principal p = Principal.of("racer-" + i, Role.APPROVER);
                racers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        return decisions.approve(p, decision);
                    } catch (Rejection r) {
                        return r.kind();
                    }
                }, pool));
            }
            List<Object> outcomes = racers.stream().map(CompletableFuture::join).toList();
            pool.shutdown();
            assertThat(outcomes).filteredOn(o -> o == Decisions.Outcome.EFFECTIVE).hasSize(1);
            assertThat(outcomes).filteredOn(o -> o == Rejection.Kind.CONFLICT).hasSize(7);
            List<List<String>> rows = w.journal().read(c -> Sql.rows(c, "SELECT restriction_id FROM restriction"));
            assertThat(rows).hasSize(2);
            List<List<String>> issued = w.journal().read(c -> Sql.rows(c, "SELECT notice_id FROM notice"));
            assertThat(issued).hasSize(1);
            w.journal().close();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void emergencyDecision_lapsesAfter72HoursWithoutASecondApproval(Backend backend) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
        try (Database db = TestDatabases.create(backend, dir.resolve("live")).get()) {
            World w = world(db, clock);
            Decisions decisions = new Decisions(w.journal());
            String lapsing = decisions.propose(REVIEWER, proposal(w.caseId(), clock.instant(), List.of("sub-01")));
            assertThatThrownBy(() -> decisions.applyEmergency(APPROVER_1, lapsing))
                    .isInstanceOf(Rejection.class).hasMessageContaining("needs the role emergency");
            decisions.applyEmergency(APPROVER_2, lapsing);
            String confirmed = decisions.propose(REVIEWER, proposal(w.caseId(), clock.instant(), List.of("sub-02")));
            decisions.applyEmergency(APPROVER_2, confirmed);
            assertThat(decisions.approve(APPROVER_1, confirmed)).isEqualTo(Decisions.Outcome.CONFIRMED);

            clock.advance(Duration.ofHours(71));
            assertThat(decisions.lapseDue(Principal.SYSTEM)).isZero();
            clock.advance(Duration.ofHours(1));
            assertThat(decisions.lapseDue(Principal.SYSTEM)).isEqualTo(1);
            List<List<String>> states = w.journal().read(c -> Sql.rows(c,
                    "SELECT d.decision_id, d.state, r.state FROM decision d JOIN restriction r ON r.decision_id = d.decision_id"
                            + " ORDER BY r.subscription_id"));
            assertThat(states).containsExactly(List.of(lapsing, "lapsed", "lapsed"), List.of(confirmed, "effective", "active"));
            w.journal().close();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void badDecisionInput_isRejectedNamingTheField_andWritesNothing(Backend backend) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
        try (Database db = TestDatabases.create(backend, dir.resolve("live")).get()) {
            World w = world(db, clock);
            Decisions decisions = new Decisions(w.journal());
            long size = w.journal().ledger().size();
            Decisions.Proposal good = proposal(w.caseId(), clock.instant(), List.of("sub-01"));
            assertThatThrownBy(() -> decisions.propose(REVIEWER, new Decisions.Proposal(w.caseId(),
                    new Scope(List.of("sub-404"), List.of("object-storage"), List.of(), null, List.of(), List.of()),
                    good.timeline(), good.grounds(), "aup-4.2", null, null)))
                    .isInstanceOf(Rejection.class).extracting(e -> ((Rejection) e).field()).isEqualTo("scope.subscriptions[0]");
            assertThatThrownBy(() -> decisions.propose(REVIEWER, new Decisions.Proposal(w.caseId(),
                    new Scope(List.of("sub-other"), List.of("object-storage"), List.of(), null, List.of(), List.of()),
                    good.timeline(), good.grounds(), "aup-4.2", null, null)))
                    .isInstanceOf(Rejection.class).hasMessageContaining("belongs to another customer");
            Instant now = clock.instant();
            assertThatThrownBy(() -> decisions.propose(REVIEWER, new Decisions.Proposal(w.caseId(), good.scope(),
                    new Timeline(now.plusSeconds(100), now, now.plusSeconds(200), null), good.grounds(), "aup-4.2", null, null)))
                    .isInstanceOf(Rejection.class).hasMessageContaining("is before noticeAt")
                    .extracting(e -> ((Rejection) e).field()).isEqualTo("timeline.effectiveAt");
            assertThat(w.journal().ledger().size()).isEqualTo(size);

            String decision = decisions.propose(REVIEWER, good);
            decisions.approve(APPROVER_1, decision);
            decisions.approve(APPROVER_2, decision);
            clock.advance(Duration.ofDays(32));
            size = w.journal().ledger().size();
            assertThatThrownBy(() -> new Appeals(w.journal()).file(CUSTOMER, decision, "late"))
                    .isInstanceOf(Rejection.class).hasMessageContaining("appeal window");
            assertThat(w.journal().ledger().size()).isEqualTo(size);
            w.journal().close();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aLiftingDecision_afterTwoApprovals_narrowsTheEarlierRestrictions(Backend backend) throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-28T12:00:00Z"));
        try (Database db = TestDatabases.create(backend, dir.resolve("live")).get()) {
            World w = world(db, clock);
            Decisions decisions = new Decisions(w.journal());
            String restricting = decisions.propose(REVIEWER, proposal(w.caseId(), clock.instant(), List.of("sub-01", "sub-02")));
            decisions.approve(APPROVER_1, restricting);
            decisions.approve(APPROVER_2, restricting);
            Decisions.Proposal base = proposal(w.caseId(), clock.instant(), List.of("sub-02"));
            String lifting = decisions.propose(REVIEWER, new Decisions.Proposal(w.caseId(),
                    new Scope(List.of("sub-02"), List.of("translation"), List.of(), null, List.of(), List.of()),
                    base.timeline(), base.grounds(), "aup-4.2-lift", restricting, null));
            decisions.approve(APPROVER_1, lifting);
            assertThat(decisions.approve(APPROVER_2, lifting)).isEqualTo(Decisions.Outcome.EFFECTIVE);
            List<List<String>> rows = w.journal().read(c -> Sql.rows(c,
                    "SELECT subscription_id, services, state FROM restriction ORDER BY subscription_id"));
            assertThat(rows).containsExactly(
                    List.of("sub-01", "object-storage,speech-to-text,translation", "active"),
                    List.of("sub-02", "object-storage,speech-to-text", "active"));
            List<List<String>> notices = w.journal().read(c -> Sql.rows(c, "SELECT decision_id FROM notice ORDER BY issued_at"));
            assertThat(notices).hasSize(2);
            w.journal().close();
        }
    }

    static Set<Operation> all() {
        return EnumSet.allOf(Operation.class);
    }
}
