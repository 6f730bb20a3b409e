package dev.warden.server;

import dev.warden.access.Tokens;
import dev.warden.appeal.Appeals;
import dev.warden.decision.Decisions;
import dev.warden.event.Event;
import dev.warden.notice.Notices;
import dev.warden.inventory.Inventory;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;
import dev.warden.review.Review;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The route table, called route by route with a token of every role: a role the table does not
 * allow gets 403 and changes nothing; a role it allows gets through, with a valid request, to a
 * 2xx.
 */
class RouteRolesTest {
    /** Every role a token can carry. */
    static final Set<Role> TOKEN_ROLES = EnumSet.complementOf(EnumSet.of(Role.SYSTEM));
    static final Principal ANALYST = Principal.of("ann", Role.ANALYST);
    static final Principal ADMIN = Principal.of("ada", Role.ADMIN);

    @TempDir
    static Path dir;
    static ApiServer api;
    static final Map<Role, String> tokens = new EnumMap<>(Role.class);
    static final AtomicInteger serial = new AtomicInteger();
    static String report;
    static String caseId;
    static String evidence;

    /** A valid request for each route, made fresh for each call: a path and a JSON body or null. */
    record Call(String path, String json) {
    }

    static final Map<String, Supplier<Call>> EXAMPLES = new LinkedHashMap<>();

    @BeforeAll
    static void start() {
        api = new ApiServer(dir);
        Inventory inventory = new Inventory(api.journal);
        Review review = new Review(api.journal);
        inventory.registerCustomer(ADMIN, "acct-1", "Example Ltd", "business", "DE");
        inventory.registerSubscription(ADMIN, "sub-1", "acct-1", "Production");
        report = review.receiveReport(ANALYST, "press", "An allegation", List.of("https://news.example/1"), "acct-1");
        caseId = freshCase(review);
        evidence = review.attachEvidence(ANALYST, caseId, "contract", "Master agreement", "legal archive",
                "terms".getBytes(StandardCharsets.UTF_8));
        for (Role role : TOKEN_ROLES) {
            // The reviewer is "rex", whom every case of this test is assigned to.
            String principal = role == Role.REVIEWER ? "rex" : role.wire() + "-1";
            tokens.put(role, role == Role.CUSTOMER ? api.customerToken(principal, "acct-1") : api.token(principal, role));
        }

        EXAMPLES.put("POST /v1/customers", () -> new Call("/v1/customers",
                "{\"customerId\":\"acct-x" + serial.incrementAndGet() + "\",\"name\":\"New Co\",\"customerType\":\"business\","
                        + "\"country\":\"FR\"}"));
        EXAMPLES.put("GET /v1/customers/{customerId}", () -> new Call("/v1/customers/acct-1", null));
        EXAMPLES.put("POST /v1/subscriptions", () -> new Call("/v1/subscriptions",
                "{\"subscriptionId\":\"sub-x" + serial.incrementAndGet() + "\",\"customerId\":\"acct-1\",\"name\":\"Staging\"}"));
        EXAMPLES.put("POST /v1/services", () -> new Call("/v1/services",
                "{\"service\":\"svc-" + serial.incrementAndGet() + "\",\"category\":\"Storage\",\"operations\":[\"read\",\"write\"]}"));
        EXAMPLES.put("POST /v1/regions", () -> new Call("/v1/regions",
                "{\"region\":\"reg-" + serial.incrementAndGet() + "\",\"name\":\"Region\"}"));
        EXAMPLES.put("POST /v1/reports", () -> new Call("/v1/reports",
                "{\"sourceType\":\"ngo\",\"description\":\"A report\",\"references\":[\"https://ngo.example/r\"],"
                        + "\"customerId\":\"acct-1\"}"));
        EXAMPLES.put("GET /v1/reports/{reportId}", () -> new Call("/v1/reports/" + report, null));
        EXAMPLES.put("POST /v1/cases", () -> new Call("/v1/cases",
                "{\"customerId\":\"acct-1\",\"title\":\"A case\",\"reportIds\":[\"" + report + "\"]}"));
        EXAMPLES.put("GET /v1/cases/{caseId}", () -> new Call("/v1/cases/" + caseId, null));
        EXAMPLES.put("POST /v1/cases/{caseId}/reviewers", () -> new Call("/v1/cases/" + freshCase(review) + "/reviewers",
                "{\"reviewer\":\"counsel-" + serial.incrementAndGet() + "\",\"outside\":true}"));
        EXAMPLES.put("POST /v1/cases/{caseId}/status", () -> new Call("/v1/cases/" + freshCase(review) + "/status",
                "{\"status\":\"closed\"}"));
        EXAMPLES.put("POST /v1/cases/{caseId}/notes", () -> new Call("/v1/cases/" + caseId + "/notes",
                "{\"text\":\"Looked at the billing extract.\"}"));
        EXAMPLES.put("POST /v1/cases/{caseId}/evidence", () -> new Call("/v1/cases/" + caseId + "/evidence",
                "{\"kind\":\"billing-extract\",\"title\":\"Usage\",\"source\":\"billing export\",\"contentBase64\":\"bW9udGgscGI=\"}"));
        EXAMPLES.put("GET /v1/evidence/{evidenceId}", () -> new Call("/v1/evidence/" + evidence + "?purpose=role%20check", null));
        EXAMPLES.put("POST /v1/tokens", () -> new Call("/v1/tokens",
                "{\"principalId\":\"p-" + serial.incrementAndGet() + "\",\"roles\":[\"analyst\"],\"ttlDays\":1}"));
        EXAMPLES.put("DELETE /v1/tokens/{tokenId}", () -> new Call("/v1/tokens/" + new Tokens(api.journal)
                .issue(Principal.SYSTEM, "tmp", Set.of(Role.ANALYST), null, Duration.ofHours(1)).tokenId(), null));
        EXAMPLES.put("GET /v1/ledger/entries/{index}", () -> new Call("/v1/ledger/entries/0", null));

        inventory.registerService(ADMIN, "object-storage", "Storage", Set.of("read", "write", "export"));
        inventory.registerRegion(ADMIN, "eu-1", "Europe 1");
        String decision = effectiveDecision(review, true);
        String appeal = new Appeals(api.journal).file(CUSTOMER, decision, "We export archives, not calls.");
        String notice = new Notices(api.journal).list(ADMIN, "acct-1").get(0).noticeId();
        EXAMPLES.put("POST /v1/cases/{caseId}/decisions", () -> new Call("/v1/cases/" + freshCase(review) + "/decisions",
                "{\"scope\":{\"subscriptions\":[\"sub-1\"],\"services\":[\"object-storage\"],\"regions\":[\"eu-1\"]},"
                        + "\"timeline\":{\"noticeAt\":\"2030-01-01T00:00:00Z\",\"effectiveAt\":\"2030-01-02T00:00:00Z\","
                        + "\"retrievalUntil\":\"2030-01-09T00:00:00Z\"},\"grounds\":{\"clauses\":[\"AUP 4.2\"],"
                        + "\"facts\":\"Facts\",\"rationale\":\"Rationale\"},\"reasonCode\":\"aup-4.2\"}"));
        EXAMPLES.put("GET /v1/decisions/{decisionId}", () -> new Call("/v1/decisions/" + decision, null));
        EXAMPLES.put("GET /v1/decisions/{decisionId}/impact", () -> new Call("/v1/decisions/" + decision + "/impact", null));
        EXAMPLES.put("POST /v1/decisions/{decisionId}/approvals", () -> new Call("/v1/decisions/"
                + proposedDecision(review, true) + "/approvals", null));
        EXAMPLES.put("POST /v1/decisions/{decisionId}/emergency", () -> new Call("/v1/decisions/"
                + proposedDecision(review, true) + "/emergency", null));
        EXAMPLES.put("PUT /v1/customers/{customerId}/webhook", () -> new Call("/v1/customers/acct-1/webhook",
                "{\"url\":\"https://hooks.example/warden\",\"secret\":\"0123456789abcdef0123\"}"));
        EXAMPLES.put("GET /v1/notices", () -> new Call("/v1/notices", null));
        EXAMPLES.put("GET /v1/findings", () -> new Call("/v1/findings", null));
        EXAMPLES.put("GET /v1/notices/{noticeId}", () -> new Call("/v1/notices/" + notice, null));
        EXAMPLES.put("POST /v1/appeals", () -> new Call("/v1/appeals",
                "{\"decisionId\":\"" + effectiveDecision(review, true) + "\",\"statement\":\"New information\"}"));
        EXAMPLES.put("GET /v1/appeals/{appealId}", () -> new Call("/v1/appeals/" + appeal, null));
        EXAMPLES.put("POST /v1/appeals/{appealId}/assignment", () -> new Call("/v1/appeals/"
                + new Appeals(api.journal).file(CUSTOMER, effectiveDecision(review, true), "x") + "/assignment",
                "{\"reviewer\":\"una\"}"));
        long decisionEntry = Long.parseLong(api.journal.read(c -> dev.warden.event.Sql.one(c,
                "SELECT decision_entry FROM notice ORDER BY issued_at").orElseThrow()));
        EXAMPLES.put("GET /v1/enforcement/entries/{index}", () -> new Call("/v1/enforcement/entries/" + decisionEntry, null));
        EXAMPLES.put("POST /v1/decide", () -> new Call("/v1/decide",
                "{\"subscription\":\"sub-1\",\"service\":\"object-storage\",\"operation\":\"write\",\"region\":\"eu-1\"}"));
        EXAMPLES.put("POST /v1/decide/batch", () -> new Call("/v1/decide/batch",
                "{\"requests\":[{\"subscription\":\"sub-1\",\"service\":\"object-storage\",\"operation\":\"write\","
                        + "\"region\":\"eu-1\"}]}"));
        EXAMPLES.put("GET /v1/decide/log", () -> new Call("/v1/decide/log", null));
        EXAMPLES.put("GET /v1/metrics", () -> new Call("/v1/metrics", null));
        EXAMPLES.put("POST /v1/appeals/{appealId}/decision", () -> {
            // rex decides: the decision's case must not be one rex reviews.
            Appeals appeals = new Appeals(api.journal);
            String a = appeals.file(CUSTOMER, effectiveDecision(review, false), "x");
            appeals.assign(ANALYST, a, "rex");
            return new Call("/v1/appeals/" + a + "/decision", "{\"outcome\":\"upheld\",\"reasons\":\"Stands.\"}");
        });
    }

    static final Principal CUSTOMER = Principal.customer("customer-1", "acct-1");

    /** A decision on sub-1, proposed by the analyst, on a new case (with or without rex reviewing it). */
    static String proposedDecision(Review review, boolean withRex) {
        String caseId = withRex ? freshCase(review)
                : review.openCase(ANALYST, "acct-1", "Case " + serial.incrementAndGet(), List.of());
        java.time.Instant at = java.time.Instant.parse("2030-01-01T00:00:00Z");
        return new Decisions(api.journal).propose(ANALYST, new Decisions.Proposal(caseId,
                new Event.Scope(List.of("sub-1"), List.of("object-storage"), List.of(), null, List.of(), List.of()),
                new Event.Timeline(at, at.plus(Duration.ofDays(1)), at.plus(Duration.ofDays(8)), null),
                new Event.Grounds(List.of("AUP 4.2"), "Facts", "Rationale", false), "aup-4.2", null, null));
    }

    /** The same, approved twice: effective, with restrictions and a notice. */
    static String effectiveDecision(Review review, boolean withRex) {
        String d = proposedDecision(review, withRex);
        Decisions decisions = new Decisions(api.journal);
        decisions.approve(Principal.of("apollo", Role.APPROVER), d);
        decisions.approve(Principal.of("athena", Role.APPROVER), d);
        return d;
    }

    /** A new case, with the reviewer-role principal "rex" assigned, so it is under review. */
    static String freshCase(Review review) {
        String id = review.openCase(ANALYST, "acct-1", "Case " + serial.incrementAndGet(), List.of());
        review.assignReviewer(ANALYST, id, "rex", false);
        return id;
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void everyRouteOfTheTable_hasAnExample_andNoExampleIsForAnUnknownRoute() {
        assertThat(EXAMPLES.keySet()).containsExactlyInAnyOrderElementsOf(Api.ROUTES.stream().map(Route::key).toList());
    }

    @TestFactory
    List<DynamicTest> everyRoute_answersEveryRole_asTheRouteTableSays() {
        List<DynamicTest> tests = new ArrayList<>();
        for (Route route : Api.ROUTES) {
            for (Role role : TOKEN_ROLES) {
                boolean allowed = route.roles().contains(role);
                String name = route.key() + " as " + role.wire() + (allowed ? " is served" : " is forbidden");
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    Call call = EXAMPLES.get(route.key()).get();
                    long before = api.ledgerSize();
                    ApiServer.Reply r = api.send(route.method().toString(), call.path(), tokens.get(role),
                            call.json() == null ? null : "application/json",
                            call.json() == null ? null : call.json().getBytes(StandardCharsets.UTF_8));
                    if (allowed) {
                        assertThat(r.status()).as("%s: %s", name, r).isBetween(200, 299);
                    } else {
                        assertThat(r.status()).as("%s: %s", name, r).isEqualTo(403);
                        assertThat(r.mediaType()).isEqualTo("application/problem+json");
                        assertThat(r.json().path("detail").asText()).contains("needs the role");
                        assertThat(api.ledgerSize()).as("a refused call appends nothing").isEqualTo(before);
                    }
                }));
            }
        }
        return tests;
    }

    @Test
    void customersReachOnlyTheirNoticesAndAppeals_andNoRouteIsForTheSystem() {
        Set<String> customerRoutes = Api.ROUTES.stream().filter(r -> r.roles().contains(Role.CUSTOMER)).map(Route::key)
                .collect(Collectors.toSet());
        assertThat(customerRoutes).containsExactlyInAnyOrder("GET /v1/notices", "GET /v1/notices/{noticeId}",
                "POST /v1/appeals", "GET /v1/appeals/{appealId}");
        for (Route route : Api.ROUTES) {
            assertThat(route.roles()).as(route.key()).doesNotContain(Role.SYSTEM).isNotEmpty();
        }
        assertThat(Api.ROUTES.stream().map(Route::key).collect(Collectors.toSet())).hasSize(Api.ROUTES.size());
    }

    @Test
    void aReviewer_seesAndActsOnlyOnTheCasesItReviews() {
        Review review = new Review(api.journal);
        String other = review.openCase(ANALYST, "acct-1", "Not rex's case", List.of());
        String rex = tokens.get(Role.REVIEWER);
        long before = api.ledgerSize();
        assertThat(api.get("/v1/cases/" + other, rex).status()).isEqualTo(403);
        assertThat(api.post("/v1/cases/" + other + "/notes", rex, "{\"text\":\"x\"}").status()).isEqualTo(403);
        assertThat(api.post("/v1/cases/" + other + "/status", rex, "{\"status\":\"closed\"}").status()).isEqualTo(403);
        ApiServer.Reply attach = api.post("/v1/cases/" + other + "/evidence", rex,
                "{\"kind\":\"contract\",\"title\":\"t\",\"source\":\"s\",\"contentBase64\":\"eA==\"}");
        assertThat(attach.status()).isEqualTo(403);
        assertThat(attach.json().path("detail").asText()).isEqualTo("\"rex\" does not review case \"" + other + "\"");
        assertThat(api.ledgerSize()).isEqualTo(before);
        // An analyst is not bound to cases.
        assertThat(api.get("/v1/cases/" + other, tokens.get(Role.ANALYST)).status()).isEqualTo(200);
    }
}
