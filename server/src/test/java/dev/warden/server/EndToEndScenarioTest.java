package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.warden.event.CanonicalJson;
import dev.warden.event.Replay;
import dev.warden.ledger.receipt.Receipt;
import dev.warden.notice.NoticeOutbox;
import dev.warden.principal.Role;
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
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acceptance scenario of the review and enforcement core, over real HTTP against a real
 * server on a free port, on SQLite and on PostgreSQL: a press report, a case with evidence read
 * under access logging, a decision on 3 of a customer's 40 subscriptions in one region with
 * security carved out, its impact, two approvals, restrictions, a notice at a real webhook with a
 * receipt that verifies offline, an appeal, a partial reversal by an uninvolved reviewer, and a
 * replay that reaches the same state. Bad input on the way is refused and writes nothing.
 */
class EndToEndScenarioTest {
    static final String SECRET = "whsec-scenario-0123456789";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void surveillanceCase_fromPressReportToPartialReversal_overHttp(Backend backend) throws Exception {
        List<byte[]> deliveries = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/warden", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String ts = exchange.getRequestHeaders().getFirst(NoticeOutbox.TIMESTAMP);
            String sig = exchange.getRequestHeaders().getFirst(NoticeOutbox.SIGNATURE);
            boolean valid = ("sha256=" + NoticeOutbox.hmac(SECRET, ts, body)).equals(sig);
            if (valid) {
                deliveries.add(body);
            }
            exchange.sendResponseHeaders(valid ? 204 : 401, -1);
            exchange.close();
        });
        receiver.start();
        try (ApiServer api = new ApiServer(TestDatabases.create(backend, dir.resolve("db")).get())) {
            String admin = api.token("ada", Role.ADMIN);
            String analyst = api.token("ann", Role.ANALYST);
            String rex = api.token("rex", Role.REVIEWER);
            String rexAsApprover = api.token("rex", Role.APPROVER);
            String apollo = api.token("apollo", Role.APPROVER);
            String athena = api.token("athena", Role.APPROVER);
            String una = api.token("una", Role.REVIEWER);

            // Inventory: the customer, 40 subscriptions, the catalog, two regions, and another customer.
            ok(api.post("/v1/customers", admin, "{\"customerId\":\"acct-7731\",\"name\":\"Northwind Signals Directorate\","
                    + "\"customerType\":\"government\",\"country\":\"XA\"}"));
            String customer = api.customerToken("northwind-ops", "acct-7731");
            ok(api.post("/v1/customers", admin, "{\"customerId\":\"acct-9000\",\"name\":\"Other Corp\","
                    + "\"customerType\":\"business\",\"country\":\"DE\"}"));
            ok(api.post("/v1/subscriptions", admin, "{\"subscriptionId\":\"sub-other\",\"customerId\":\"acct-9000\",\"name\":\"x\"}"));
            for (int i = 1; i <= 40; i++) {
                ok(api.post("/v1/subscriptions", admin, String.format(
                        "{\"subscriptionId\":\"sub-%02d\",\"customerId\":\"acct-7731\",\"name\":\"Workload %d\"}", i, i)));
            }
            ok(api.post("/v1/services", admin, "{\"service\":\"object-storage\",\"category\":\"Storage\","
                    + "\"operations\":[\"provision\",\"write\",\"read\",\"export\",\"delete\"]}"));
            ok(api.post("/v1/services", admin, "{\"service\":\"speech-to-text\",\"category\":\"AI and Machine Learning\","
                    + "\"operations\":[\"invoke\"]}"));
            ok(api.post("/v1/services", admin, "{\"service\":\"translation\",\"category\":\"AI and Machine Learning\","
                    + "\"operations\":[\"invoke\"]}"));
            ok(api.post("/v1/services", admin, "{\"service\":\"security-center\",\"category\":\"Security\","
                    + "\"operations\":[\"read\",\"admin\"]}"));
            ok(api.post("/v1/regions", admin, "{\"region\":\"xa-east-1\",\"name\":\"XA East\"}"));
            ok(api.send("PUT", "/v1/customers/acct-7731/webhook", admin, "application/json", ("{\"url\":\"http://127.0.0.1:"
                    + receiver.getAddress().getPort() + "/warden\",\"secret\":\"" + SECRET + "\"}").getBytes(StandardCharsets.UTF_8)));

            // 1. A press report arrives.
            String report = ok(api.post("/v1/reports", analyst, "{\"sourceType\":\"press\",\"description\":\"Calls of"
                    + " civilians intercepted, stored and transcribed\",\"references\":[\"https://news.example/inv\"],"
                    + "\"customerId\":\"acct-7731\"}")).path("reportId").asText();
            // 2. A case; evidence attached and read (the read is logged).
            String caseId = ok(api.post("/v1/cases", analyst, "{\"customerId\":\"acct-7731\",\"title\":\"Alleged mass"
                    + " surveillance\",\"reportIds\":[\"" + report + "\"]}")).path("caseId").asText();
            ok(api.post("/v1/cases/" + caseId + "/reviewers", analyst, "{\"reviewer\":\"rex\"}"));
            String extract = "month,petabytes\n2025-01,3.0\n2025-07,11.5\n";
            String evidence = ok(api.post("/v1/cases/" + caseId + "/evidence", analyst, "{\"kind\":\"billing-extract\","
                    + "\"title\":\"Storage in xa-east-1\",\"source\":\"billing export\",\"contentBase64\":\""
                    + Base64.getEncoder().encodeToString(extract.getBytes(StandardCharsets.UTF_8)) + "\"}"))
                    .path("evidenceId").asText();
            ApiServer.Reply read = api.get("/v1/evidence/" + evidence + "?purpose=assess%20growth", rex);
            assertThat(read.status()).isEqualTo(200);
            assertThat(new String(read.body(), StandardCharsets.UTF_8)).isEqualTo(extract);
            List<List<String>> accesses = api.journal.read(c -> dev.warden.event.Sql.rows(c,
                    "SELECT principal, purpose FROM evidence_access"));
            assertThat(accesses).containsExactly(List.of("rex", "assess growth"));

            // 3. A decision: 3 of 40 subscriptions, storage and speech/translation, one region, security carved out.
            Instant now = api.clock.instant();
            String timeline = timeline(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(3)), now.plus(Duration.ofDays(17)));
            long before = api.ledgerSize();
            problem(api.post("/v1/cases/" + caseId + "/decisions", rex, decision("\"sub-03\",\"sub-404\"", timeline)),
                    404, "scope.subscriptions[1]");
            problem(api.post("/v1/cases/" + caseId + "/decisions", rex, decision("\"sub-other\"", timeline)),
                    422, "scope.subscriptions[0]");
            problem(api.post("/v1/cases/" + caseId + "/decisions", rex, decision("\"sub-03\"",
                    timeline(now.plus(Duration.ofDays(3)), now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(17))))),
                    422, "timeline.effectiveAt");
            problem(api.post("/v1/cases/" + caseId + "/decisions", rex, "{\"scope\": {"), 400, null);
            problem(api.post("/v1/cases/" + caseId + "/decisions", rex, "{\"x\":\"" + "a".repeat(1_100_000) + "\"}"), 413, null);
            assertThat(api.ledgerSize()).as("refused input writes nothing").isEqualTo(before);
            String decisionId = ok(api.post("/v1/cases/" + caseId + "/decisions", rex,
                    decision("\"sub-03\",\"sub-17\",\"sub-29\"", timeline))).path("decisionId").asText();

            // 4. The impact preview.
            JsonNode impact = ok(api.get("/v1/decisions/" + decisionId + "/impact", apollo));
            assertThat(impact.path("affected")).hasSize(3);
            assertThat(impact.path("unaffectedSubscriptions")).hasSize(37);
            assertThat(impact.path("servicesKeptRunning").toString()).contains("security-center");

            // 5. Two approvals; the proposer may not approve.
            problem(api.post("/v1/decisions/" + decisionId + "/approvals", rexAsApprover, null), 403, null);
            assertThat(ok(api.post("/v1/decisions/" + decisionId + "/approvals", apollo, null)).path("outcome").asText())
                    .isEqualTo("awaiting-second-approval");
            assertThat(ok(api.post("/v1/decisions/" + decisionId + "/approvals", athena, null)).path("outcome").asText())
                    .isEqualTo("effective");

            // 6. Restrictions exist; the notice reaches the webhook with a receipt that verifies offline.
            JsonNode decision = ok(api.get("/v1/decisions/" + decisionId, analyst));
            assertThat(decision.path("state").asText()).isEqualTo("effective");
            assertThat(decision.path("restrictions")).hasSize(3);
            assertThat(new NoticeOutbox(api.journal, Duration.ofSeconds(1), 5).deliverDue()).isEqualTo(1);
            assertThat(deliveries).hasSize(1);
            JsonNode payload = CanonicalJson.parse(deliveries.get(0));
            JsonNode notice = payload.path("notice");
            assertThat(notice.path("customerContentAccessed").asBoolean(true)).isFalse();
            Receipt receipt = Receipt.parse(payload.path("receipt").asText());
            receipt.verify(api.journal.ledger().entry(notice.path("ledgerEntry").asLong()), ApiServer.KEY.verifierKey());
            JsonNode listed = ok(api.get("/v1/notices", customer));
            assertThat(listed).hasSize(1);
            assertThat(ok(api.get("/v1/notices/" + listed.get(0).path("noticeId").asText(), customer)).path("decisionId")
                    .asText()).isEqualTo(decisionId);

            // 7. The customer appeals.
            String appeal = ok(api.post("/v1/appeals", customer, "{\"decisionId\":\"" + decisionId + "\",\"statement\":"
                    + "\"sub-29 transcribes a hospital's dictation.\"}")).path("appealId").asText();
            // 8. Only an uninvolved reviewer may take it; she partly reverses it; the restrictions shrink.
            problem(api.post("/v1/appeals/" + appeal + "/assignment", analyst, "{\"reviewer\":\"rex\"}"), 403, null);
            ok(api.post("/v1/appeals/" + appeal + "/assignment", analyst, "{\"reviewer\":\"una\"}"));
            ok(api.post("/v1/appeals/" + appeal + "/decision", una, "{\"outcome\":\"partly-reversed\",\"reasons\":"
                    + "\"A hospital's workload.\",\"lifted\":{\"sub-29\":[\"speech-to-text\",\"translation\"]}}"));
            JsonNode after = ok(api.get("/v1/decisions/" + decisionId, analyst)).path("restrictions");
            assertThat(after.get(2).toString()).contains("sub-29").contains("object-storage").doesNotContain("translation");
            assertThat(after.get(0).toString()).contains("speech-to-text");
            assertThat(ok(api.get("/v1/appeals/" + appeal, customer)).path("outcome").asText()).isEqualTo("partly-reversed");

            // An appeal after its window is refused, and writes nothing.
            String second = ok(api.post("/v1/cases/" + caseId + "/decisions", rex, decision("\"sub-05\"", timeline)))
                    .path("decisionId").asText();
            ok(api.post("/v1/decisions/" + second + "/approvals", apollo, null));
            ok(api.post("/v1/decisions/" + second + "/approvals", athena, null));
            api.clock.advance(Duration.ofDays(32));
            String customerNow = api.customerToken("northwind-ops", "acct-7731"); // the first one expired meanwhile
            long size = api.ledgerSize();
            problem(api.post("/v1/appeals", customerNow, "{\"decisionId\":\"" + second + "\",\"statement\":\"late\"}"), 409, null);
            assertThat(api.ledgerSize()).isEqualTo(size);

            // 9. The ledger alone rebuilds the same state.
            try (Database target = Database.sqlite(dir.resolve("replay"))) {
                Replay.Result result = Replay.run(api.db, ApiServer.KEY.verifierKey(), target);
                assertThat(result.matches()).as("replayed %s, live %s", result.replayed(), result.live()).isTrue();
            }
        } finally {
            receiver.stop(0);
        }
    }

    static String timeline(Instant notice, Instant effective, Instant retrieval) {
        return "{\"noticeAt\":\"" + notice + "\",\"effectiveAt\":\"" + effective + "\",\"retrievalUntil\":\"" + retrieval + "\"}";
    }

    static String decision(String subscriptions, String timeline) {
        return "{\"scope\":{\"subscriptions\":[" + subscriptions + "],\"services\":[\"object-storage\"],"
                + "\"categories\":[\"AI and Machine Learning\"],\"regions\":[\"xa-east-1\"],\"carveOuts\":[\"security-center\"]},"
                + "\"timeline\":" + timeline + ",\"grounds\":{\"clauses\":[\"AUP 4.2: no mass surveillance of civilians\"],"
                + "\"facts\":\"Storage grew from 3 PB to 11.5 PB in one region; speech use grew 64 times.\","
                + "\"rationale\":\"Proportionate.\"},\"reasonCode\":\"aup-4.2\",\"appealWindowDays\":30}";
    }

    static JsonNode ok(ApiServer.Reply r) {
        assertThat(r.status()).as("%s", r).isBetween(200, 299);
        return r.body().length == 0 ? CanonicalJson.parse("{}".getBytes(StandardCharsets.UTF_8)) : r.json();
    }

    static void problem(ApiServer.Reply r, int status, String field) {
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        assertThat(r.mediaType()).isEqualTo("application/problem+json");
        if (field != null) {
            assertThat(r.json().path("field").asText()).as("%s", r).isEqualTo(field);
        }
    }
}
