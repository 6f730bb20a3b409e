package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.event.Sql;
import dev.warden.principal.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The review workflow through the API alone: inventory, a report, a case, reviewers, notes and evidence. */
class ReviewApiTest {
    static final byte[] EXTRACT = "month,storage_pb\n2025-01,3.0\n2025-06,11.5\n".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;
    ApiServer api;
    String admin;
    String analyst;
    String reviewer;
    String auditor;

    @BeforeEach
    void start() {
        api = new ApiServer(dir);
        admin = api.token("ada", Role.ADMIN);
        analyst = api.token("ann", Role.ANALYST);
        reviewer = api.token("rex", Role.REVIEWER);
        auditor = api.token("aud", Role.AUDITOR);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private JsonNode ok(ApiServer.Reply r, int status) {
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        assertThat(r.mediaType()).isEqualTo("application/json");
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        return r.json();
    }

    /** Registers acct-1 with two subscriptions, reports on it and opens a case assigned to rex; returns the case. */
    private String caseUnderReview() {
        ApiServer.Reply customer = api.post("/v1/customers", admin,
                "{\"customerId\":\"acct-1\",\"name\":\"Northwind Signals\",\"customerType\":\"government\",\"country\":\"XA\"}");
        assertThat(ok(customer, 201).path("customerId").asText()).isEqualTo("acct-1");
        assertThat(customer.header("Location")).isEqualTo("/v1/customers/acct-1");
        ok(api.post("/v1/subscriptions", admin, "{\"subscriptionId\":\"sub-2\",\"customerId\":\"acct-1\",\"name\":\"Ops 2\"}"), 201);
        ok(api.post("/v1/subscriptions", admin, "{\"subscriptionId\":\"sub-1\",\"customerId\":\"acct-1\",\"name\":\"Ops 1\"}"), 201);
        ok(api.post("/v1/services", admin, "{\"service\":\"object-storage\",\"category\":\"Storage\","
                + "\"operations\":[\"read\",\"write\",\"export\"]}"), 201);
        ok(api.post("/v1/regions", admin, "{\"region\":\"xa-east-1\",\"name\":\"XA East\"}"), 201);

        String report = ok(api.post("/v1/reports", analyst, "{\"sourceType\":\"press\",\"description\":\"Investigation\","
                + "\"references\":[\"https://news.example/a\",\"line one\\nline two\"],\"customerId\":\"acct-1\"}"), 201)
                .path("reportId").asText();
        ApiServer.Reply opened = api.post("/v1/cases", analyst,
                "{\"customerId\":\"acct-1\",\"title\":\"Alleged mass surveillance\",\"reportIds\":[\"" + report + "\"]}");
        String caseId = ok(opened, 201).path("caseId").asText();
        assertThat(opened.header("Location")).isEqualTo("/v1/cases/" + caseId);
        ok(api.post("/v1/cases/" + caseId + "/reviewers", analyst, "{\"reviewer\":\"rex\"}"), 201);
        return caseId;
    }

    @Test
    void aCustomer_isReadWithItsSubscriptions() {
        caseUnderReview();
        JsonNode c = ok(api.get("/v1/customers/acct-1", auditor), 200);
        assertThat(c.path("name").asText()).isEqualTo("Northwind Signals");
        assertThat(c.path("customerType").asText()).isEqualTo("government");
        assertThat(c.path("subscriptions").findValuesAsText("subscriptionId")).containsExactly("sub-1", "sub-2");
    }

    @Test
    void aReport_isReadBack_withItsReferencesExactly() {
        String caseId = caseUnderReview();
        String report = ok(api.get("/v1/cases/" + caseId, analyst), 200).path("reports").get(0).asText();
        JsonNode r = ok(api.get("/v1/reports/" + report, reviewer), 200);
        assertThat(r.path("sourceType").asText()).isEqualTo("press");
        assertThat(List.of(r.path("references").get(0).asText(), r.path("references").get(1).asText()))
                .containsExactly("https://news.example/a", "line one\nline two");
        assertThat(r.path("customerId").asText()).isEqualTo("acct-1");
        assertThat(r.path("receivedBy").asText()).isEqualTo("ann");
    }

    @Test
    void aCase_showsItsStatusReviewersNotesAndEvidence_withoutTheEvidenceContent() {
        String caseId = caseUnderReview();
        ok(api.post("/v1/cases/" + caseId + "/reviewers", admin, "{\"reviewer\":\"counsel\",\"outside\":true}"), 201);
        String note = ok(api.post("/v1/cases/" + caseId + "/notes", reviewer, "{\"text\":\"Growth in one region.\"}"), 201)
                .path("noteId").asText();
        String evidence = ok(api.post("/v1/cases/" + caseId + "/evidence", analyst, evidenceJson()), 201)
                .path("evidenceId").asText();

        ApiServer.Reply r = api.get("/v1/cases/" + caseId, reviewer);
        JsonNode c = ok(r, 200);
        assertThat(c.path("status").asText()).isEqualTo("under-review");
        assertThat(c.path("openedBy").asText()).isEqualTo("ann");
        assertThat(c.path("reviewers").findValuesAsText("reviewer")).containsExactlyInAnyOrder("rex", "counsel");
        assertThat(c.path("reviewers").findValues("outside").stream().map(JsonNode::asBoolean).toList())
                .containsExactlyInAnyOrder(false, true);
        assertThat(c.path("notes").get(0).path("noteId").asText()).isEqualTo(note);
        assertThat(c.path("notes").get(0).path("author").asText()).isEqualTo("rex");
        JsonNode ev = c.path("evidence").get(0);
        assertThat(ev.path("evidenceId").asText()).isEqualTo(evidence);
        assertThat(ev.path("bytes").asLong()).isEqualTo(EXTRACT.length);
        assertThat(ev.path("sha256").asText()).isEqualTo(sha256(EXTRACT));
        assertThat(r.text()).doesNotContain("11.5").doesNotContain(Base64.getEncoder().encodeToString(EXTRACT));

        JsonNode moved = ok(api.post("/v1/cases/" + caseId + "/status", reviewer, "{\"status\":\"decision-proposed\"}"), 200);
        assertThat(moved.path("status").asText()).isEqualTo("decision-proposed");
        assertThat(ok(api.get("/v1/cases/" + caseId, analyst), 200).path("status").asText()).isEqualTo("decision-proposed");
    }

    @Test
    void evidence_uploadedThenRead_isServedAsIs_andTheReadIsLoggedWithItsPurpose() {
        String caseId = caseUnderReview();
        JsonNode created = ok(api.post("/v1/cases/" + caseId + "/evidence", analyst, evidenceJson()), 201);
        String evidence = created.path("evidenceId").asText();
        assertThat(created.path("sha256").asText()).isEqualTo(sha256(EXTRACT));
        assertThat(accessLog()).isEmpty();

        long before = api.ledgerSize();
        ApiServer.Reply read = api.get("/v1/evidence/" + evidence + "?purpose=assess%20storage%20growth", reviewer);
        assertThat(read.status()).as("%s", read).isEqualTo(200);
        assertThat(read.mediaType()).isEqualTo("application/octet-stream");
        assertThat(read.body()).isEqualTo(EXTRACT);
        assertThat(read.header("Repr-Digest")).isEqualTo("sha-256=:" + Base64.getEncoder().encodeToString(
                HexFormat.of().parseHex(sha256(EXTRACT))) + ":");
        assertThat(read.header("Cache-Control")).isEqualTo("no-store");

        assertThat(accessLog()).containsExactly(List.of(evidence, "rex", "assess storage growth"));
        assertThat(api.ledgerSize()).as("the read is an event").isEqualTo(before + 1);
    }

    @Test
    void evidence_readWithoutAPurpose_isRefused_andNotLogged() {
        String caseId = caseUnderReview();
        String evidence = ok(api.post("/v1/cases/" + caseId + "/evidence", analyst, evidenceJson()), 201)
                .path("evidenceId").asText();
        ApiServer.Reply r = api.get("/v1/evidence/" + evidence, auditor);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().path("field").asText()).isEqualTo("purpose");
        assertThat(accessLog()).isEmpty();
    }

    @Test
    void aReviewerNotOnTheCase_cannotReadItsEvidence() {
        String caseId = caseUnderReview();
        String evidence = ok(api.post("/v1/cases/" + caseId + "/evidence", analyst, evidenceJson()), 201)
                .path("evidenceId").asText();
        String stranger = api.token("stranger", Role.REVIEWER);
        ApiServer.Reply r = api.get("/v1/evidence/" + evidence + "?purpose=curiosity", stranger);
        assertThat(r.status()).isEqualTo(403);
        assertThat(r.json().path("detail").asText()).isEqualTo("\"stranger\" does not review case \"" + caseId + "\"");
        assertThat(accessLog()).isEmpty();
    }

    private List<List<String>> accessLog() {
        return api.journal.read(c -> Sql.rows(c, "SELECT evidence_id, principal, purpose FROM evidence_access ORDER BY event_idx"));
    }

    private static String evidenceJson() {
        return "{\"kind\":\"billing-extract\",\"title\":\"Storage usage 2025\",\"source\":\"billing export\","
                + "\"contentBase64\":\"" + Base64.getEncoder().encodeToString(EXTRACT) + "\"}";
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
