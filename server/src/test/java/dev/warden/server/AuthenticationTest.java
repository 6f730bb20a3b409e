package dev.warden.server;

import dev.warden.access.Tokens;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Every /v1 route needs a bearer token that authenticates; anything else is 401 with a Bearer challenge. */
class AuthenticationTest {
    @TempDir
    Path dir;
    ApiServer api;

    @BeforeEach
    void start() {
        api = new ApiServer(dir);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    private static void assertUnauthorized(ApiServer.Reply r, boolean tokenSent) {
        assertThat(r.status()).as("%s", r).isEqualTo(401);
        assertThat(r.mediaType()).isEqualTo("application/problem+json");
        assertThat(r.header("WWW-Authenticate")).startsWith("Bearer realm=\"warden\"");
        assertThat(r.header("WWW-Authenticate").contains("error=\"invalid_token\"")).isEqualTo(tokenSent);
        assertThat(r.json().path("status").asInt()).isEqualTo(401);
        assertThat(r.json().path("title").asText()).isEqualTo("Unauthorized");
    }

    @Test
    void everyRoute_withoutAToken_isUnauthorized_andChangesNothing() {
        long before = api.ledgerSize();
        for (Route route : Api.ROUTES) {
            String path = route.path().replaceAll("\\{[^}]+}", "x1");
            ApiServer.Reply r = api.send(route.method().toString(), path, null,
                    route.body() == null ? null : "application/json", route.body() == null ? null : "{}".getBytes());
            assertUnauthorized(r, false);
            assertThat(r.json().path("detail").asText()).as(route.key()).contains("needs a token");
        }
        assertThat(api.ledgerSize()).isEqualTo(before);
    }

    @Test
    void aHeaderOfAnotherScheme_isUnauthorized() {
        ApiServer.Reply r = api.send(HttpRequest.newBuilder(api.uri("/v1/customers/acct-1"))
                .header("Authorization", "Basic YWRhOnNlY3JldA==").build());
        assertUnauthorized(r, false);
        assertThat(r.json().path("detail").asText()).contains("not \"Bearer wdn_...\"");
    }

    @Test
    void aMalformedToken_isUnauthorized_andIsNotEchoed() {
        for (String token : new String[] {"nonsense", "wdn_short", "wdn_" + "A".repeat(44)}) {
            ApiServer.Reply r = api.get("/v1/customers/acct-1", token);
            assertUnauthorized(r, true);
            assertThat(r.json().path("detail").asText()).isEqualTo("the bearer token is not a Warden token (wdn_...)");
            assertThat(r.text()).doesNotContain(token);
        }
    }

    @Test
    void aWellFormedButUnknownToken_isUnauthorized() {
        ApiServer.Reply r = api.get("/v1/customers/acct-1", "wdn_" + "A".repeat(43));
        assertUnauthorized(r, true);
        assertThat(r.json().path("detail").asText()).isEqualTo("the bearer token is unknown");
    }

    @Test
    void aRevokedToken_isUnauthorized_fromTheMomentItIsRevoked() {
        String admin = api.token("ada", Role.ADMIN);
        Tokens.Issued analyst = new Tokens(api.journal).issue(Principal.SYSTEM, "ann", Set.of(Role.ANALYST), null,
                Duration.ofDays(1));
        assertThat(api.get("/v1/customers/acct-1", analyst.secret()).status()).isEqualTo(404);

        assertThat(api.delete("/v1/tokens/" + analyst.tokenId(), admin).status()).isEqualTo(204);
        ApiServer.Reply r = api.get("/v1/customers/acct-1", analyst.secret());
        assertUnauthorized(r, true);
        assertThat(r.json().path("detail").asText()).isEqualTo("the bearer token was revoked");
        assertThat(api.delete("/v1/tokens/" + analyst.tokenId(), admin).status()).as("revoked twice").isEqualTo(409);
    }

    @Test
    void revokingByTheSecretInsteadOfTheId_isRefused_withoutEchoingTheSecret() {
        String admin = api.token("ada", Role.ADMIN);
        String secret = api.token("ann", Role.ANALYST);
        ApiServer.Reply r = api.delete("/v1/tokens/" + secret, admin);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().path("field").asText()).isEqualTo("tokenId");
        assertThat(r.json().path("detail").asText()).doesNotContain(secret);
        assertThat(api.get("/v1/customers/acct-1", secret).status()).as("still valid").isEqualTo(404);
    }

    @Test
    void anExpiredToken_isUnauthorized_fromItsExpiryOn() {
        String secret = new Tokens(api.journal).issue(Principal.SYSTEM, "ann", Set.of(Role.ANALYST), null,
                Duration.ofHours(1)).secret();
        api.clock.advance(Duration.ofMinutes(59));
        assertThat(api.get("/v1/customers/acct-1", secret).status()).isEqualTo(404);

        api.clock.advance(Duration.ofMinutes(1));
        ApiServer.Reply r = api.get("/v1/customers/acct-1", secret);
        assertUnauthorized(r, true);
        assertThat(r.json().path("detail").asText()).startsWith("the bearer token expired at ");
    }

    @Test
    void theBearerScheme_isCaseInsensitive() {
        String secret = api.token("ann", Role.ANALYST);
        ApiServer.Reply r = api.send(HttpRequest.newBuilder(api.uri("/v1/customers/acct-1"))
                .header("Authorization", "bearer " + secret).build());
        assertThat(r.status()).isEqualTo(404);
    }

    @Test
    void theOpenApiDocument_andTheLog_needNoToken() {
        assertThat(api.get(WardenServer.OPENAPI_PATH, null).status()).isEqualTo(200);
        assertThat(api.get(WardenServer.LOG_PREFIX + "/checkpoint", null).status()).isEqualTo(200);
    }

    @Test
    void anIssuedToken_isShownOnce_andWorksAtOnce() {
        String admin = api.token("ada", Role.ADMIN);
        ApiServer.Reply issued = api.post("/v1/tokens", admin, "{\"principalId\":\"aud\",\"roles\":[\"auditor\"]}");
        assertThat(issued.status()).isEqualTo(201);
        assertThat(issued.header("Cache-Control")).isEqualTo("no-store");
        String secret = issued.json().path("token").asText();
        assertThat(secret).matches("wdn_[A-Za-z0-9_-]{43}");
        assertThat(issued.json().path("expiresAt").asText()).isEqualTo("2026-05-30T09:00:00Z"); // 90 days
        assertThat(api.get("/v1/ledger/entries/0", secret).status()).isEqualTo(200);
    }
}
