package dev.warden.usage;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.assertj.core.api.Assertions.withinPercentage;

/** The synthetic FOCUS generator, run once for a year of 30 customers and read back with DuckDB's own Parquet reader. */
class GeneratorTest {
    static final double PB = 1_000_000; // GB

    @TempDir
    static Path dir;

    static Generator.Result year;
    static UsageStore reader;

    @BeforeAll
    static void generateAYear() {
        year = Generator.generate(new Generator.Options(30, 365, LocalDate.of(2025, 1, 1), 42, dir.resolve("year")));
        reader = UsageStore.inMemory();
        reader.execute("CREATE VIEW usage AS SELECT * FROM read_parquet(" + literal(dir.resolve("year") + "/*.parquet") + ")");
    }

    @AfterAll
    static void close() {
        if (reader != null) {
            reader.close();
        }
    }

    @Test
    void writesOneZstdParquetFilePerMonth_thatReadsBackWithTheRowsReported() {
        assertThat(year.files()).extracting(f -> f.getFileName().toString())
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 12).mapToObj(m -> "focus-2025-%02d.parquet".formatted(m)).toList());
        assertThat(year.start()).isEqualTo(LocalDate.of(2025, 1, 1));
        assertThat(year.end()).isEqualTo(LocalDate.of(2026, 1, 1));
        assertThat(year.rows()).isEqualTo(number("SELECT count(*) FROM usage").longValue()).isGreaterThan(50_000);
        assertThat(rows("SELECT DISTINCT compression FROM parquet_metadata(" + literal(dir.resolve("year") + "/*.parquet") + ")"))
                .containsExactly(List.of("ZSTD"));
        assertThat(number("SELECT count(*) FROM read_parquet(" + literal(year.files().get(1).toString())
                + ") WHERE month(ChargePeriodStart) <> 2").longValue()).as("February's file holds February").isZero();
    }

    @Test
    void columns_areFocusColumnsWithTheirFocusTypes_andIncludeEveryMandatoryOne() {
        Map<String, String> types = new LinkedHashMap<>();
        rows("SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM usage)").forEach(r -> types.put(r.get(0), r.get(1)));
        assertThat(types.keySet()).allSatisfy(name -> assertThat(Focus.column(name)).as(name).isPresent());
        types.forEach((name, type) -> assertThat(type).as(name).isEqualTo(Focus.column(name).orElseThrow().type().sql()));
        assertThat(types.keySet()).containsAll(Focus.COLUMNS.stream()
                .filter(c -> c.level() == Focus.Level.MANDATORY).map(Focus.Column::name).toList());
        assertThat(types.keySet()).contains("BillingAccountType", "ChargeFrequency", "ConsumedQuantity", "ConsumedUnit",
                "ListUnitPrice", "ContractedUnitPrice", "PricingCategory", "RegionId", "RegionName", "ServiceSubcategory",
                "SkuId", "SubAccountId", "SubAccountName");
    }

    @Test
    void rows_haveNoNullsWhereFocusForbidsThem_andFollowFocusValuesAndCostIdentities() {
        for (Focus.Column c : Focus.COLUMNS) {
            if (!c.nullable() && columns().contains(c.name())) {
                assertThat(number("SELECT count(*) FROM usage WHERE " + UsageStore.quote(c.name()) + " IS NULL").longValue())
                        .as(c.name()).isZero();
            }
            if (c.enumerated() && columns().contains(c.name())) {
                for (List<String> v : rows("SELECT DISTINCT " + UsageStore.quote(c.name()) + " FROM usage WHERE "
                        + UsageStore.quote(c.name()) + " IS NOT NULL")) {
                    assertThat(c.values()).as(c.name()).contains(v.get(0));
                }
            }
        }
        assertThat(rows("SELECT DISTINCT ChargeCategory, ChargeClass, ChargeFrequency, BillingCurrency, PricingCategory,"
                + " ProviderName, PublisherName, InvoiceIssuerName FROM usage"))
                .containsExactly(java.util.Arrays.asList("Usage", null, "Usage-Based", "USD", "Standard",
                        "Example Cloud", "Example Cloud", "Example Cloud"));
        assertThat(number("SELECT count(*) FROM usage WHERE PricingQuantity <= 0 OR ConsumedQuantity <> PricingQuantity"
                + " OR ConsumedUnit <> PricingUnit OR abs(ListCost - ListUnitPrice * PricingQuantity) > 1e-9 * ListCost"
                + " OR abs(ContractedCost - ContractedUnitPrice * PricingQuantity) > 1e-9 * ContractedCost"
                + " OR BilledCost <> ContractedCost OR EffectiveCost <> ContractedCost OR ContractedUnitPrice > ListUnitPrice")
                .longValue()).isZero();
        assertThat(rows("SELECT DISTINCT BillingAccountType FROM usage ORDER BY 1"))
                .containsExactly(List.of("Business"), List.of("Government"), List.of("Individual"));
        assertThat(rows("SELECT DISTINCT RegionId || '/' || RegionName FROM usage ORDER BY 1")).containsExactly(
                List.of("central-1/Central 1"), List.of("east-1/East 1"), List.of("north-1/North 1"),
                List.of("south-1/South 1"), List.of("west-1/West 1"));
        assertThat(rows("SELECT DISTINCT ServiceName, ServiceCategory, ServiceSubcategory, PricingUnit, SkuId FROM usage"
                + " ORDER BY 1")).containsExactly(
                List.of("Block Storage", "Storage", "Block Storage", "GB-Month", "sku-block-ssd"),
                List.of("Content Delivery", "Networking", "Content Delivery", "GB", "sku-cdn-egress"),
                List.of("LLM Inference", "AI and Machine Learning", "Generative AI", "1K Tokens", "sku-llm-std"),
                List.of("Object Storage", "Storage", "Object Storage", "GB-Month", "sku-objstore-std"),
                List.of("Speech to Text", "AI and Machine Learning", "Natural Language Processing", "Hours", "sku-stt-std"),
                List.of("Translation", "AI and Machine Learning", "Natural Language Processing", "1M Characters", "sku-translate-std"),
                List.of("Virtual Machines", "Compute", "Virtual Machines", "Hours", "sku-vm-std"));
    }

    @Test
    void chargePeriods_areWholeDays_andBillingPeriods_theirMonths() {
        assertThat(number("SELECT count(*) FROM usage WHERE ChargePeriodEnd <> ChargePeriodStart + INTERVAL 1 DAY"
                + " OR ChargePeriodStart <> date_trunc('day', ChargePeriodStart)"
                + " OR BillingPeriodStart <> date_trunc('month', ChargePeriodStart)"
                + " OR BillingPeriodEnd <> BillingPeriodStart + INTERVAL 1 MONTH").longValue()).isZero();
        assertThat(rows("SELECT min(ChargePeriodStart)::DATE::VARCHAR, max(ChargePeriodStart)::DATE::VARCHAR,"
                + " count(DISTINCT ChargePeriodStart)::VARCHAR FROM usage"))
                .containsExactly(List.of("2025-01-01", "2025-12-31", "365"));
        assertThat(number("SELECT count(*) FROM (SELECT SubAccountId, ServiceName, RegionId, ChargePeriodStart FROM usage"
                + " GROUP BY ALL HAVING count(*) > 1)").longValue()).as("one row per meter and day").isZero();
    }

    @Test
    void accounts_andSubscriptions_followTheNamingContract() {
        assertThat(number("SELECT count(DISTINCT BillingAccountId) FROM usage").longValue()).isEqualTo(30);
        assertThat(number("SELECT count(*) FROM usage WHERE NOT regexp_full_match(BillingAccountId, 'acct-[0-9]{6}')"
                + " AND BillingAccountId NOT IN ('acct-video', 'acct-callcentre', 'acct-planted')").longValue()).isZero();
        assertThat(number("SELECT count(*) FROM usage WHERE regexp_full_match(BillingAccountId, 'acct-[0-9]{6}')"
                + " AND NOT regexp_full_match(SubAccountId, 'sub-' || substr(BillingAccountId, 6) || '-[123]')").longValue()).isZero();
        assertThat(rows("SELECT DISTINCT BillingAccountName, BillingAccountType FROM usage WHERE BillingAccountId IN"
                + " ('acct-video', 'acct-callcentre', 'acct-planted') ORDER BY 1")).containsExactly(
                List.of("CallSense Analytics", "Business"), List.of("Harbor Civic Systems", "Government"),
                List.of("Streamly Video", "Business"));
        assertThat(number("SELECT count(*) FROM usage WHERE BillingAccountName IS NULL OR SubAccountName IS NULL").longValue()).isZero();
    }

    @Test
    void plantedCustomer_centralObjectStorage_risesFromAbout3PbToAbout11_5Pb_inThatOneRegion() {
        List<Double> monthly = monthly("BillingAccountId = 'acct-planted' AND ServiceName = 'Object Storage' AND RegionId = 'central-1'");
        assertThat(monthly).hasSize(12);
        assertThat(monthly.getFirst()).as("January's average stored GB").isCloseTo(3 * PB, withinPercentage(15));
        assertThat(monthly.getLast()).as("December's average stored GB").isCloseTo(11.5 * PB, withinPercentage(15));
        assertThat(number("SELECT sum(PricingQuantity) FILTER (RegionId = 'central-1') / sum(PricingQuantity) FROM usage"
                + " WHERE BillingAccountId = 'acct-planted' AND ServiceName = 'Object Storage'").doubleValue()).isGreaterThan(0.9);
    }

    @Test
    void plantedCustomer_speechToTextAndTranslation_growAtLeast40xInSixMonths_inTwoOfItsThreeSubscriptions() {
        for (String service : List.of("Speech to Text", "Translation")) {
            List<Double> monthly = monthly("BillingAccountId = 'acct-planted' AND ServiceName = '" + service + "'");
            assertThat(monthly.get(11) / monthly.get(5)).as(service + ", December over June").isGreaterThanOrEqualTo(40);
        }
        assertThat(rows("SELECT DISTINCT SubAccountId FROM usage WHERE BillingAccountId = 'acct-planted'"
                + " AND ServiceCategory = 'AI and Machine Learning' ORDER BY 1"))
                .containsExactly(List.of("sub-planted-1"), List.of("sub-planted-2"));
        assertThat(rows("SELECT DISTINCT ServiceName FROM usage WHERE SubAccountId = 'sub-planted-3'"))
                .contains(List.of("Virtual Machines")).doesNotContain(List.of("Speech to Text"), List.of("Object Storage"));
    }

    @Test
    void videoPlatform_storesPetabytesInThreeRegions_growingMonthly_withHugeDelivery_andNoSpeechToText() {
        assertThat(number("SELECT count(*) FROM usage WHERE BillingAccountId = 'acct-video' AND ServiceName = 'Speech to Text'")
                .longValue()).isZero();
        List<Double> storage = monthly("BillingAccountId = 'acct-video' AND ServiceName = 'Object Storage'");
        assertThat(storage.getFirst()).isGreaterThan(3 * PB);
        assertThat(Math.pow(storage.getLast() / storage.getFirst(), 1 / 11.0)).as("growth a month").isCloseTo(1.035, within(0.005));
        assertThat(number("SELECT count(DISTINCT RegionId) FROM usage WHERE BillingAccountId = 'acct-video'"
                + " AND ServiceName = 'Object Storage'").longValue()).isEqualTo(3);
        assertThat(monthly("BillingAccountId = 'acct-video' AND ServiceName = 'Content Delivery'").getFirst()).isGreaterThan(10 * PB);
    }

    @Test
    void callCentre_transcribesAbout200kHoursAMonth_growingAtMost1_5xInTheYear() {
        List<Double> monthly = monthly("BillingAccountId = 'acct-callcentre' AND ServiceName = 'Speech to Text'");
        assertThat(monthly.getFirst()).isCloseTo(200_000, withinPercentage(15));
        assertThat(monthly.getLast() / monthly.getFirst()).isBetween(1.0, 1.5);
        assertThat(number("SELECT count(*) FROM usage WHERE BillingAccountId = 'acct-callcentre' AND ServiceName = 'Translation'")
                .longValue()).isPositive();
    }

    @Test
    void ordinaryUsage_dipsAtWeekends_andCustomerSizes_areHeavyTailed() {
        double weekday = number("SELECT avg(s) FROM (SELECT ChargePeriodStart, sum(PricingQuantity) s FROM usage"
                + " WHERE ServiceName = 'Virtual Machines' AND isodow(ChargePeriodStart) <= 5 GROUP BY 1)").doubleValue();
        double weekend = number("SELECT avg(s) FROM (SELECT ChargePeriodStart, sum(PricingQuantity) s FROM usage"
                + " WHERE ServiceName = 'Virtual Machines' AND isodow(ChargePeriodStart) > 5 GROUP BY 1)").doubleValue();
        assertThat(weekend / weekday).isBetween(0.6, 0.9);
        double ratio = number("SELECT max(c) / median(c) FROM (SELECT BillingAccountId, sum(BilledCost) c FROM usage"
                + " WHERE regexp_full_match(BillingAccountId, 'acct-[0-9]{6}') GROUP BY 1)").doubleValue();
        assertThat(ratio).as("largest ordinary customer over the median").isGreaterThan(5);
    }

    @Test
    void sameOptions_giveTheSameRows_andAnotherSeed_otherRows() {
        Generator.Result a = Generator.generate(new Generator.Options(12, 45, LocalDate.of(2025, 3, 20), 7, dir.resolve("a")));
        Generator.Result b = Generator.generate(new Generator.Options(12, 45, LocalDate.of(2025, 3, 20), 7, dir.resolve("b")));
        Generator.Result c = Generator.generate(new Generator.Options(12, 45, LocalDate.of(2025, 3, 20), 8, dir.resolve("c")));
        assertThat(a.files()).hasSize(3);
        assertThat(b.rows()).isEqualTo(a.rows());
        // An exact sum (DECIMAL) does not depend on the order rows were written in.
        assertThat(exactCost(dir.resolve("b"))).isEqualTo(exactCost(dir.resolve("a")));
        assertThat(exactCost(dir.resolve("c"))).isNotEqualTo(exactCost(dir.resolve("a")));
    }

    @Test
    void tooFewCustomersOrDays_areRefused() {
        assertThatThrownBy(() -> new Generator.Options(9, 30, dir)).isInstanceOf(UsageException.class)
                .hasMessageContaining("at least 10");
        assertThatThrownBy(() -> new Generator.Options(10, 0, dir)).isInstanceOf(UsageException.class)
                .hasMessageContaining("days");
    }

    // ---------------------------------------------------------------------------------------------

    /** A month's sum of PricingQuantity (for GB-Month, the average stored), January first. */
    private static List<Double> monthly(String where) {
        return rows("SELECT sum(PricingQuantity)::VARCHAR FROM usage WHERE " + where
                + " GROUP BY BillingPeriodStart ORDER BY BillingPeriodStart").stream().map(r -> Double.valueOf(r.getFirst())).toList();
    }

    private static String exactCost(Path files) {
        return rows("SELECT sum(BilledCost::DECIMAL(38, 6))::VARCHAR FROM read_parquet(" + literal(files + "/*.parquet") + ")")
                .getFirst().getFirst();
    }

    private static List<String> columns() {
        return rows("SELECT column_name FROM (DESCRIBE SELECT * FROM usage)").stream().map(List::getFirst).toList();
    }

    private static Number number(String sql) {
        try (Statement s = reader.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return (Number) rs.getObject(1);
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    private static List<List<String>> rows(String sql) {
        try (Statement s = reader.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<List<String>> out = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.add(rs.getString(i));
                }
                out.add(row);
            }
            return out;
        } catch (SQLException e) {
            throw new AssertionError(sql, e);
        }
    }

    private static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
