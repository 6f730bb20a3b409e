package dev.warden.server;

import dev.warden.inventory.Inventory;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;
import dev.warden.review.Review;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input the API refuses: each refusal is problem+json with the right status, names the field or
 * position at fault, and appends nothing to the ledger.
 */
class BadInputTest {
    @TempDir
    static Path dir;
    static ApiServer api;
    static String admin;
    static String analyst;
    static String caseId;

    @BeforeAll
    static void start() {
        api = new ApiServer(dir);
        admin = api.token("ada", Role.ADMIN);
        analyst = api.token("ann", Role.ANALYST);
        new Inventory(api.journal).registerCustomer(Principal.of("ada", Role.ADMIN), "acct-1", "Example Ltd", "business", "DE");
        caseId = new Review(api.journal).openCase(Principal.of("ann", Role.ANALYST), "acct-1", "A case", List.of());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    /** Sends {@code body} as JSON and checks the refusal; returns its problem details' detail. */
    static String refused(String path, String token, String contentType, byte[] body, int status, String field) {
        long before = api.ledgerSize();
        ApiServer.Reply r = api.send("POST", path, token, contentType, body);
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        assertThat(r.mediaType()).isEqualTo("application/problem+json");
        assertThat(r.json().path("status").asInt()).isEqualTo(status);
        assertThat(r.json().path("type").asText()).isEqualTo("about:blank");
        assertThat(r.json().path("instance").asText()).isEqualTo(path);
        if (field == null) {
            assertThat(r.json().has("field")).as("%s", r).isFalse();
        } else {
            assertThat(r.json().path("field").asText()).as("%s", r).isEqualTo(field);
        }
        assertThat(r.text()).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(api.ledgerSize()).as("nothing appended").isEqualTo(before);
        return r.json().path("detail").asText();
    }

    static String refused(String path, String json, int status, String field) {
        return refused(path, admin, "application/json", json.getBytes(StandardCharsets.UTF_8), status, field);
    }

    @Test
    void aSubscriptionOfAnUnknownCustomer_isNotFound_namingCustomerId() {
        String detail = refused("/v1/subscriptions", "{\"subscriptionId\":\"sub-1\",\"customerId\":\"acct-nope\",\"name\":\"x\"}",
                404, "customerId");
        assertThat(detail).isEqualTo("no customer \"acct-nope\"");
    }

    @Test
    void anUnknownField_isABadRequest_namingIt() {
        String detail = refused("/v1/regions", "{\"region\":\"eu-1\",\"name\":\"EU\",\"colour\":\"blue\"}", 400, "colour");
        assertThat(detail).startsWith("unknown field \"colour\" at line 1").contains("hint: the fields are");
    }

    @Test
    void aValueOfTheWrongJsonType_isABadRequest_namingTheField() {
        assertThat(refused("/v1/regions", "{\"region\":\"eu-1\",\"name\":42}", 400, "name"))
                .startsWith("field \"name\" has the wrong JSON type at line 1");
        refused("/v1/services", "{\"service\":\"s3\",\"category\":\"Storage\",\"operations\":\"read\"}", 400, "operations");
        refused("/v1/services", "{\"service\":\"s3\",\"category\":\"Storage\",\"operations\":[\"read\",7]}", 400, "operations[1]");
        refused("/v1/tokens", "{\"principalId\":\"p\",\"roles\":[\"analyst\"],\"ttlDays\":\"30\"}", 400, "ttlDays");
        refused("/v1/tokens", "{\"principalId\":\"p\",\"roles\":[\"analyst\"],\"ttlDays\":1.5}", 400, "ttlDays");
        refused("/v1/cases/" + caseId + "/reviewers", "{\"reviewer\":\"rex\",\"outside\":\"yes\"}", 400, "outside");
    }

    @Test
    void malformedJson_isABadRequest_namingThePosition() {
        assertThat(refused("/v1/regions", "{\"region\":\"eu-1\",\n\"name\":", 400, null))
                .startsWith("malformed JSON at line 2, column 8");
        assertThat(refused("/v1/regions", "{\"region\":\"eu-1\",\"name\":\"EU\"} trailing", 400, null)).startsWith("malformed JSON");
        assertThat(refused("/v1/regions", "{\"region\":\"eu-1\",\"region\":\"eu-2\",\"name\":\"EU\"}", 400, null))
                .contains("Duplicate field 'region'");
        assertThat(refused("/v1/regions", "[\"eu-1\"]", 400, null)).startsWith("the body must be a JSON object");
        assertThat(refused("/v1/regions", "null", 400, null)).isEqualTo("the body must be a JSON object, not null");
        assertThat(refused("/v1/regions", admin, "application/json", new byte[0], 400, null))
                .isEqualTo("the request has no body; a JSON object is expected");
    }

    @Test
    void aBodyThatIsNotDeclaredJson_isUnsupported() {
        assertThat(refused("/v1/regions", admin, "text/plain", "{}".getBytes(StandardCharsets.UTF_8), 415, null))
                .isEqualTo("the request body must be application/json, not \"text/plain\"");
        refused("/v1/regions", admin, null, "{}".getBytes(StandardCharsets.UTF_8), 415, null);
    }

    @Test
    void aBodyOverOneMebibyte_isTooLarge() {
        byte[] body = new byte[(int) Route.MIB + 1];
        Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[body.length - 1] = '}';
        assertThat(refused("/v1/regions", admin, "application/json", body, 413, null))
                .isEqualTo("the request body of 1048577 bytes is over the limit of 1048576 bytes for POST /v1/regions");
        // Exactly at the limit is read, and here refused for what it says, not for its size.
        byte[] atLimit = Arrays.copyOf(body, (int) Route.MIB);
        atLimit[atLimit.length - 1] = '}';
        refused("/v1/regions", admin, "application/json", atLimit, 422, "region");
    }

    @Test
    void evidence_mayBeLargerThanOneMebibyte_upToTenMebibytes() {
        byte[] doc = new byte[2 * (int) Route.MIB];
        Arrays.fill(doc, (byte) 'x');
        ApiServer.Reply r = api.post("/v1/cases/" + caseId + "/evidence", analyst, evidence(doc));
        assertThat(r.status()).as("%s", r).isEqualTo(201);

        byte[] tooBig = new byte[10 * (int) Route.MIB + 1];
        refused("/v1/cases/" + caseId + "/evidence", analyst, "application/json",
                evidence(tooBig).getBytes(StandardCharsets.UTF_8), 422, "contentBase64");
        byte[] farTooBig = new byte[11 * (int) Route.MIB];
        assertThat(refused("/v1/cases/" + caseId + "/evidence", analyst, "application/json",
                evidence(farTooBig).getBytes(StandardCharsets.UTF_8), 413, null)).contains("over the limit of");
    }

    private static String evidence(byte[] doc) {
        return "{\"kind\":\"billing-extract\",\"title\":\"Usage\",\"source\":\"export\",\"contentBase64\":\""
                + Base64.getEncoder().encodeToString(doc) + "\"}";
    }

    @Test
    void aValueThatBreaksARule_isUnprocessable_namingTheField() {
        assertThat(refused("/v1/customers", "{\"customerId\":\"acct-2\",\"name\":\"X\",\"customerType\":\"business\","
                + "\"country\":\"Germany\"}", 422, "country")).contains("ISO 3166-1 alpha-2");
        refused("/v1/customers", "{\"customerId\":\"acct 2\",\"name\":\"X\",\"customerType\":\"business\",\"country\":\"DE\"}",
                422, "customerId");
        refused("/v1/customers", "{\"name\":\"X\",\"customerType\":\"business\",\"country\":\"DE\"}", 422, "customerId");
        refused("/v1/customers", "{\"customerId\":\"acct-2\",\"name\":\"X\",\"customerType\":\"alien\",\"country\":\"DE\"}",
                422, "customerType");
        refused("/v1/services", "{\"service\":\"s3\",\"category\":\"Storage\",\"operations\":[\"read\",\"teleport\"]}", 422,
                "operations");
        assertThat(refused("/v1/tokens", "{\"principalId\":\"p\",\"roles\":[\"analyst\",\"wizard\"]}", 422, "roles[1]"))
                .contains("\"wizard\" is not one of");
        refused("/v1/tokens", "{\"principalId\":\"p\",\"roles\":[\"system\"]}", 422, "roles");
        refused("/v1/tokens", "{\"principalId\":\"p\",\"roles\":[\"analyst\"],\"ttlDays\":400}", 422, "ttlDays");
        refused("/v1/cases/" + caseId + "/evidence", analyst, "application/json",
                "{\"kind\":\"contract\",\"title\":\"t\",\"source\":\"s\",\"contentBase64\":\"not base64!\"}"
                        .getBytes(StandardCharsets.UTF_8), 422, "contentBase64");
        refused("/v1/cases/" + caseId + "/evidence", analyst, "application/json",
                "{\"kind\":\"intercepted-call\",\"title\":\"t\",\"source\":\"s\",\"contentBase64\":\"eA==\"}"
                        .getBytes(StandardCharsets.UTF_8), 422, "kind");
    }

    @Test
    void aDuplicate_isAConflict() {
        String detail = refused("/v1/customers", "{\"customerId\":\"acct-1\",\"name\":\"X\",\"customerType\":\"business\","
                + "\"country\":\"DE\"}", 409, null);
        assertThat(detail).isEqualTo("customer \"acct-1\" is already registered");
    }

    @Test
    void aStepTheStatusMachineDoesNotAllow_isAConflict() {
        refused("/v1/cases/" + caseId + "/status", analyst, "application/json",
                "{\"status\":\"enforcing\"}".getBytes(StandardCharsets.UTF_8), 409, null);
    }

    @Test
    void badPathAndQueryValues_areUnprocessableOrNotFound_namingThem() {
        String auditor = api.token("aud", Role.AUDITOR);
        assertThat(api.get("/v1/ledger/entries/abc", auditor).json().path("field").asText()).isEqualTo("index");
        assertThat(api.get("/v1/ledger/entries/-1", auditor).status()).isEqualTo(422);
        assertThat(api.get("/v1/ledger/entries/99999999999999999999", auditor).status()).isEqualTo(422);
        ApiServer.Reply beyond = api.get("/v1/ledger/entries/1000", auditor);
        assertThat(beyond.status()).isEqualTo(404);
        assertThat(beyond.json().path("detail").asText()).startsWith("no entry 1000: the log has ");
        assertThat(api.get("/v1/cases/case-nope", analyst).json().path("field").asText()).isEqualTo("caseId");
        assertThat(api.get("/v1/reports/rep-nope", analyst).status()).isEqualTo(404);
        ApiServer.Reply noPurpose = api.get("/v1/evidence/ev-nope", analyst);
        assertThat(noPurpose.status()).isEqualTo(422);
        assertThat(noPurpose.json().path("field").asText()).isEqualTo("purpose");
        assertThat(api.get("/v1/evidence/ev-nope?purpose=check", analyst).status()).isEqualTo(404);
    }

    @Test
    void anUnknownPathUnderTheApi_isNotFound_asProblemJson() {
        ApiServer.Reply r = api.get("/v1/nothing-here", analyst);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.mediaType()).isEqualTo("application/problem+json");
    }
}
