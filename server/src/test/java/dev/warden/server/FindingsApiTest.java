package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.detection.Detection;
import dev.warden.detection.RulePackLoader;
import dev.warden.inventory.Inventory;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;
import dev.warden.usage.UsageStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Findings recorded by a scan, listed over HTTP for the staff who review them, and no one else. */
class FindingsApiTest {
    @TempDir
    Path dir;

    @Test
    void findings_ofAScan_areListedWithTheirEvidence_forAnalystsButNotReviewers() {
        try (ApiServer api = new ApiServer(dir); UsageStore store = UsageStore.inMemory()) {
            new Inventory(api.journal).registerCustomer(Principal.of("ada", Role.ADMIN), "acct-1", "One", "business", "ZZ");
            store.execute("INSERT INTO " + UsageStore.ROWS + " (BillingAccountId, SubAccountId, ServiceName, ServiceCategory, ChargeCategory,"
                    + " ChargePeriodStart, ChargePeriodEnd, BilledCost, EffectiveCost, warden_import_id) VALUES"
                    + " ('acct-1', 'sub-1', 'Object Storage', 'Storage', 'Usage', TIMESTAMP '2025-06-10 00:00:00',"
                    + " TIMESTAMP '2025-06-11 00:00:00', 500, 500, 'test')");
            var pack = RulePackLoader.parse("p.yaml", """
                    pack: p
                    version: "2"
                    rules:
                      - id: big
                        title: Big
                        severity: medium
                        clause: "AUP 1"
                        subject: customer
                        window: 30d
                        measures:
                          cost: {sum: BilledCost}
                        condition: cost > 100.0
                    """);
            new Detection(store).scan(api.journal, Principal.SYSTEM, pack, Instant.parse("2025-07-01T00:00:00Z"),
                    Detection.CaseAction.OPEN_OR_ATTACH);

            ApiServer.Reply r = api.get("/v1/findings?customerId=acct-1", api.token("ann", Role.ANALYST));
            assertThat(r.status()).isEqualTo(200);
            JsonNode f = r.json().get(0);
            assertThat(f.path("ruleId").asText()).isEqualTo("big");
            assertThat(f.path("packVersion").asText()).isEqualTo("2");
            assertThat(f.path("ruleHash").asText()).isEqualTo(pack.rules().get(0).hash());
            assertThat(f.path("severity").asText()).isEqualTo("medium");
            assertThat(f.path("evidence").path("cost").asDouble()).isEqualTo(500.0);
            assertThat(f.path("caseId").asText()).startsWith("case-");
            assertThat(api.get("/v1/findings?customerId=acct-2", api.token("ann", Role.ANALYST)).json()).isEmpty();
            assertThat(api.get("/v1/findings", api.token("rita", Role.REVIEWER)).status()).isEqualTo(403);
            assertThat(api.get("/v1/findings?customerId=no%20such", api.token("ann", Role.ANALYST)).status()).isEqualTo(422);
        }
    }
}
