package dev.warden.detection;

import dev.warden.event.Journal;
import dev.warden.event.Sql;
import dev.warden.inventory.Inventory;
import dev.warden.ledger.note.SignerKey;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;
import dev.warden.storage.Database;
import dev.warden.usage.UsageStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compiled pack over a real DuckDB store with hand-made rows whose aggregates are known, and
 * scans recording findings in a real SQLite journal.
 */
class DetectionTest {
    static final Instant AT = Instant.parse("2025-07-01T00:00:00Z");
    static final String PACK = """
            pack: test-pack
            version: "1"
            rules:
              - id: growth
                title: Storage growth in one region
                severity: high
                clause: "AUP 4.2"
                subject: subscription
                window: 30d
                measures:
                  gb: {sum: ConsumedQuantity, where: {ServiceCategory: Storage}}
                  top: {sum: ConsumedQuantity, per: RegionId, where: {ServiceCategory: Storage}}
                  regions: {distinct: RegionId, where: {ServiceCategory: Storage}}
                  days: {count: rows, where: {ServiceCategory: Storage}}
                  peak: {max: ConsumedQuantity, where: {ServiceCategory: Storage}}
                baselines:
                  before: {previous: gb, shift: 60d}
                  peer: {peer: gb}
                condition: gb / before > 2.0 && top / gb > 0.9
              - id: big-customer
                title: Big customer
                severity: low
                clause: "AUP 1"
                subject: customer
                window: 30d
                measures:
                  cost: {sum: BilledCost}
                condition: cost >= 300.0
            """;

    @TempDir
    Path dir;
    UsageStore store;

    @BeforeEach
    void open() {
        store = UsageStore.inMemory();
    }

    @AfterEach
    void close() {
        store.close();
    }

    /** One daily row per day in [from, to) with this quantity and cost. */
    void rows(String customer, String type, String sub, String service, String category, String region, LocalDate from,
            LocalDate to, double quantity, double cost) throws SQLException {
        try (PreparedStatement p = store.connection().prepareStatement("INSERT INTO " + UsageStore.ROWS + " (BillingAccountId, BillingAccountType,"
                + " SubAccountId, ServiceName, ServiceCategory, RegionId, ChargeCategory, ChargePeriodStart, ChargePeriodEnd,"
                + " ConsumedQuantity, BilledCost, EffectiveCost, warden_import_id) VALUES (?, ?, ?, ?, ?, ?, 'Usage', ?, ?, ?, ?, ?, 'test')")) {
            for (LocalDate d = from; d.isBefore(to); d = d.plusDays(1)) {
                p.setString(1, customer);
                p.setString(2, type);
                p.setString(3, sub);
                p.setString(4, service);
                p.setString(5, category);
                p.setString(6, region);
                p.setObject(7, d.atStartOfDay());
                p.setObject(8, d.plusDays(1).atStartOfDay());
                p.setDouble(9, quantity);
                p.setDouble(10, cost);
                p.setDouble(11, cost);
                p.addBatch();
            }
            p.executeBatch();
        }
    }

    void fixture() throws SQLException {
        LocalDate windowStart = LocalDate.of(2025, 6, 1);
        LocalDate end = LocalDate.of(2025, 7, 1);
        LocalDate beforeStart = LocalDate.of(2025, 4, 2); // 60 days before the window: [04-02, 05-02)
        // sub-a: 3x growth, all in north-1 -> flagged
        rows("acct-a", "Business", "sub-a", "Object Storage", "Storage", "north-1", beforeStart, beforeStart.plusDays(30), 10, 1);
        rows("acct-a", "Business", "sub-a", "Object Storage", "Storage", "north-1", windowStart, end, 30, 10);
        // sub-b: 2x growth, and spread over two regions -> not flagged
        rows("acct-b", "Business", "sub-b", "Object Storage", "Storage", "north-1", beforeStart, beforeStart.plusDays(30), 10, 1);
        rows("acct-b", "Business", "sub-b", "Object Storage", "Storage", "north-1", windowStart, end, 10, 1);
        rows("acct-b", "Business", "sub-b", "Block Storage", "Storage", "south-1", windowStart, end, 10, 1);
        // sub-c: new, nothing before -> a ratio over nothing is no hit
        rows("acct-c", "Government", "sub-c", "Object Storage", "Storage", "north-1", windowStart, end, 50, 1);
        // outside every window: ignored
        rows("acct-a", "Business", "sub-a", "Object Storage", "Storage", "north-1", end, end.plusDays(5), 1000, 1000);
    }

    @Test
    void evaluate_computesEachKindOfMeasureAndBaseline_andFlagsWhatTheConditionSays() throws Exception {
        fixture();
        RulePack pack = RulePackLoader.parse("test.yaml", PACK);
        List<Detection.Hit> hits = new Detection(store).evaluate(pack, AT);
        assertThat(hits).extracting(h -> h.rule().id() + " " + h.subject()).containsExactly("big-customer acct-a", "growth sub-a");
        Detection.Hit a = hits.get(1);
        assertThat(a.customerId()).isEqualTo("acct-a");
        assertThat(a.windowStart()).isEqualTo(Instant.parse("2025-06-01T00:00:00Z"));
        assertThat(a.values()).containsEntry("gb", 900.0).containsEntry("top", 900.0).containsEntry("regions", 1.0)
                .containsEntry("days", 30.0).containsEntry("peak", 30.0).containsEntry("before", 300.0)
                .containsEntry("peer", 1.0); // the larger of the two Business subscriptions
        assertThat(hits.get(0).values()).containsEntry("cost", 300.0);
    }

    @Test
    void evaluate_atAnotherInstant_movesEveryWindow() throws Exception {
        fixture();
        RulePack pack = RulePackLoader.parse("test.yaml", PACK);
        // 40 days earlier the window [04-22, 05-22) has no earlier window with usage: no ratio, no hit.
        assertThat(new Detection(store).evaluate(pack, AT.minus(Duration.ofDays(40)))).isEmpty();
        List<Detection.Window> windows = new Detection(store).backtest(pack, AT.minus(Duration.ofDays(2)), AT.plus(Duration.ofDays(1)),
                Duration.ofDays(1));
        // One and two days earlier the earlier window would begin before the history does (04-02):
        // a baseline over part of a window is an artefact, so it is unknown and flags nothing.
        assertThat(windows).extracting(w -> w.hits().size()).containsExactly(0, 0, 2);
    }

    @Test
    void compiledSql_isOneStatementOverFocusColumns_withNoQuotedIdentifiers() {
        String sql = Detection.sql(RulePackLoader.parse("test.yaml", PACK), AT, null);
        assertThat(sql).startsWith("WITH base AS").contains("FROM focus").contains("TIMESTAMP '2025-06-01 00:00:00'")
                .contains("PERCENT_RANK() OVER").doesNotContain("\"").doesNotContain(";");
        assertThat(sql.split("FROM focus", -1)).as("the usage table is read once").hasSize(2);
    }

    @Test
    void scan_recordsEachFindingOnce_andOpensACaseOrAttachesToTheOpenOne() throws Exception {
        fixture();
        RulePack pack = RulePackLoader.parse("test.yaml", PACK);
        Principal admin = Principal.of("ada", Role.ADMIN);
        try (Database db = Database.sqlite(dir); Journal journal = Journal.open(db, SignerKey.generate("test/log"))) {
            Inventory inventory = new Inventory(journal);
            for (String c : List.of("acct-a", "acct-b", "acct-c")) {
                inventory.registerCustomer(admin, c, c, "business", "ZZ");
            }
            long before = journal.ledger().size();
            Detection detection = new Detection(store);
            Detection.ScanResult first = detection.scan(journal, Principal.SYSTEM, pack, AT, Detection.CaseAction.OPEN_OR_ATTACH);
            assertThat(first.recorded()).hasSize(2);
            assertThat(first.casesOpened()).hasSize(1);
            assertThat(first.attached()).isEqualTo(2);
            long after = journal.ledger().size();
            assertThat(after - before).as("2 findings, 1 case, 2 attachments").isEqualTo(5);

            Detection.ScanResult again = detection.scan(journal, Principal.SYSTEM, pack, AT, Detection.CaseAction.OPEN_OR_ATTACH);
            assertThat(again.recorded()).isEmpty();
            assertThat(again.alreadyFound()).isEqualTo(2);
            assertThat(journal.ledger().size()).isEqualTo(after);

            List<List<String>> rows = journal.read(c -> Sql.rows(c, "SELECT rule_id, subject_id, customer_id, case_id, rule_hash,"
                    + " evidence FROM finding ORDER BY rule_id"));
            assertThat(rows).extracting(r -> r.get(0) + " " + r.get(1)).containsExactly("big-customer acct-a", "growth sub-a");
            assertThat(rows).extracting(r -> r.get(3)).containsOnly(first.casesOpened().get(0));
            assertThat(rows.get(1).get(4)).isEqualTo(pack.rules().get(0).hash());
            assertThat(rows.get(1).get(5)).contains("\"before\":300").contains("\"gb\":900");
        }
    }

    @Test
    void scan_ofACustomerMissingFromTheInventory_recordsNothing() throws Exception {
        fixture();
        try (Database db = Database.sqlite(dir); Journal journal = Journal.open(db, SignerKey.generate("test/log"))) {
            long before = journal.ledger().size();
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Detection(store).scan(journal, Principal.SYSTEM,
                    RulePackLoader.parse("test.yaml", PACK), AT, Detection.CaseAction.NONE))
                    .hasMessageContaining("acct-a").hasMessageContaining("not in the inventory");
            assertThat(journal.ledger().size()).isEqualTo(before);
        }
    }

    @Test
    void scan_asAReviewer_isForbidden() throws Exception {
        fixture();
        try (Database db = Database.sqlite(dir); Journal journal = Journal.open(db, SignerKey.generate("test/log"))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Detection(store).scan(journal,
                    Principal.of("rita", Role.REVIEWER), RulePackLoader.parse("test.yaml", PACK), AT, Detection.CaseAction.NONE))
                    .hasMessageContaining("analyst");
        }
    }
}
