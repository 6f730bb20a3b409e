package dev.warden.server;

import dev.warden.decision.Decisions;
import dev.warden.event.Event;
import dev.warden.inventory.Inventory;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;
import dev.warden.review.Review;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /v1/decide and its batch form, on a real server: answers follow the ledger, with its size. */
class DecideApiTest {
    @TempDir
    Path dir;

    @Test
    void decide_allowsUntilTheDecisionTakesEffect_thenDenies_singleAndBatched() {
        try (ApiServer api = new ApiServer(dir)) {
            Principal admin = Principal.of("ada", Role.ADMIN);
            Principal analyst = Principal.of("ann", Role.ANALYST);
            Inventory inv = new Inventory(api.journal);
            inv.registerCustomer(admin, "acct-1", "Example", "business", "DE");
            inv.registerSubscription(admin, "sub-1", "acct-1", "One");
            inv.registerService(admin, "object-storage", "Storage", Set.of("write", "read"));
            String caseId = new Review(api.journal).openCase(analyst, "acct-1", "Case", List.of());
            Instant now = api.clock.instant();
            String decision = new Decisions(api.journal).propose(analyst, new Decisions.Proposal(caseId,
                    new Event.Scope(List.of("sub-1"), List.of("object-storage"), List.of(), null, List.of(), List.of()),
                    new Event.Timeline(now, now, now.plus(Duration.ofDays(1)), null),
                    new Event.Grounds(List.of("AUP"), "f", "r", false), "aup-4.2", null, null));
            String token = api.token("svc", Role.FOLLOWER);
            String write = "{\"subscription\":\"sub-1\",\"service\":\"object-storage\",\"operation\":\"write\",\"region\":\"eu-1\"}";
            String read = "{\"subscription\":\"sub-1\",\"service\":\"object-storage\",\"operation\":\"read\",\"region\":\"eu-1\"}";
            assertThat(api.post("/v1/decide", token, write).json().path("decision").asText()).isEqualTo("allow");

            new Decisions(api.journal).approve(Principal.of("apollo", Role.APPROVER), decision);
            new Decisions(api.journal).approve(Principal.of("athena", Role.APPROVER), decision);
            ApiServer.Reply denied = api.post("/v1/decide", token, write);
            assertThat(denied.json().path("decision").asText()).isEqualTo("deny");
            assertThat(denied.json().path("reasonCode").asText()).isEqualTo("aup-4.2");
            assertThat(denied.json().path("caseRef").asText()).isEqualTo(caseId);
            assertThat(denied.json().path("treeSize").asLong()).isEqualTo(api.ledgerSize());
            assertThat(api.post("/v1/decide", token, read).json().path("decision").asText())
                    .as("read stays allowed in the retrieval window").isEqualTo("allow");

            ApiServer.Reply batch = api.post("/v1/decide/batch", token, "{\"requests\":[" + write + "," + read + "]}");
            assertThat(batch.json().path("answers").get(0).path("decision").asText()).isEqualTo("deny");
            assertThat(batch.json().path("answers").get(1).path("decision").asText()).isEqualTo("allow");

            String tooMany = "{\"requests\":[" + String.join(",", java.util.Collections.nCopies(1001, write)) + "]}";
            ApiServer.Reply refused = api.post("/v1/decide/batch", token, tooMany);
            assertThat(refused.status()).isEqualTo(422);
            assertThat(refused.json().path("field").asText()).isEqualTo("requests");
            ApiServer.Reply bad = api.post("/v1/decide", token, write.replace("write", "teleport"));
            assertThat(bad.status()).isEqualTo(422);
            assertThat(bad.json().path("field").asText()).isEqualTo("operation");
            ApiServer.Reply log = api.get("/v1/decide/log", token);
            assertThat(log.json().path("dropped").asLong()).isZero();
        }
    }
}
