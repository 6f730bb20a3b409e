package dev.warden.usage;

import dev.warden.event.Journal;
import dev.warden.event.Sql;
import dev.warden.inventory.Inventory;
import dev.warden.ledger.note.SignerKey;
import dev.warden.principal.Principal;
import dev.warden.storage.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static dev.warden.usage.FocusFiles.csv;
import static dev.warden.usage.FocusFiles.row;
import static dev.warden.usage.FocusFiles.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class FocusImportTest {
    @TempDir
    Path dir;

    final SignerKey key = SignerKey.generate("usage.warden.local/log");
    Database db;
    Journal journal;
    UsageStore store;

    @BeforeEach
    void open() {
        db = Database.sqlite(dir.resolve("data"));
        journal = Journal.open(db, key);
        store = UsageStore.open(dir.resolve("data"));
    }

    @AfterEach
    void close() {
        store.close();
        journal.close();
        db.close();
    }

    FocusImport.Result importFile(FocusImport.Options options, Path file) {
        return new FocusImport(store, new Inventory(journal), Principal.SYSTEM, options).importFile(file);
    }

    FocusImport.Rejected rejected(FocusImport.Options options, Path file) {
        FocusImport.Rejected e = catchThrowableOfType(FocusImport.Rejected.class, () -> importFile(options, file));
        assertThat(e).as("rejected").isNotNull();
        assertNothingKept();
        return e;
    }

    void assertNothingKept() {
        assertThat(query("SELECT count(*) FROM focus")).containsExactly(List.of("0"));
        assertThat(query("SELECT count(*) FROM focus_import")).containsExactly(List.of("0"));
        assertThat(inventory("SELECT customer_id FROM customer")).isEmpty();
    }

    List<List<String>> inventory(String sql) {
        return journal.read(c -> Sql.rows(c, sql));
    }

    List<List<String>> query(String sql) {
        try (Statement s = store.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<List<String>> out = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> r = new ArrayList<>();
                for (int i = 1; i <= n; i++) {
                    r.add(rs.getString(i));
                }
                out.add(r);
            }
            return out;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Two customers (one allowlisted country), two services of different categories, a Tax row. */
    Path cleanFile() {
        return write(dir.resolve("clean.csv"), csv(List.of(
                row("x_BillingCountry", null),
                row("BillingAccountId", "acct-2", "BillingAccountName", "Ministry", "BillingAccountType", "Government",
                        "SubAccountId", "sub-2", "SubAccountName", "Two", "ServiceCategory", "AI and Machine Learning",
                        "ServiceName", "Speech to Text", "ServiceSubcategory", "Natural Language Processing",
                        "RegionId", "us-1", "RegionName", "US 1", "ChargePeriodStart", "2024-01-01T01:00:00Z",
                        "ChargePeriodEnd", "2024-01-01T02:00:00Z", "x_BillingCountry", "de"),
                row("ChargeCategory", "Tax", "ConsumedQuantity", null, "ConsumedUnit", null, "PricingQuantity", null,
                        "PricingUnit", null, "x_BillingCountry", null))));
    }

    @Test
    void cleanCsv_isStoredTyped_summarised_andFillsTheInventory() {
        FocusImport.Result r = importFile(FocusImport.Options.lenient("x_BillingCountry"), cleanFile());

        assertThat(r.alreadyImported()).isFalse();
        assertThat(r.rows()).isEqualTo(3);
        assertThat(List.of(r.customers(), r.subscriptions(), r.services(), r.regions())).containsExactly(2, 2, 2, 2);
        assertThat(r.periodStart()).isEqualTo(Instant.parse("2024-01-01T00:00:00Z"));
        assertThat(r.periodEnd()).isEqualTo(Instant.parse("2024-01-01T02:00:00Z"));
        assertThat(r.warnings()).isEmpty();
        assertThat(r.dropped()).isEmpty();
        assertThat(r.registered()).isEqualTo(new Inventory.Registered(2, 2, 2, 2, 0, List.of()));

        assertThat(query("SELECT typeof(\"BilledCost\"), typeof(\"ChargePeriodStart\"), sum(\"BilledCost\"),"
                + " CAST(max(\"ChargePeriodEnd\") AS VARCHAR), count(\"ConsumedQuantity\"), count(DISTINCT warden_import_id) FROM focus GROUP BY ALL"))
                .containsExactly(List.of("DOUBLE", "TIMESTAMP", "4.5", "2024-01-01 02:00:00", "2", "1"));
        assertThat(query("SELECT file_name, row_count, mode FROM focus_import")).containsExactly(List.of("clean.csv", "3", "lenient"));
        assertThat(inventory("SELECT customer_id, name, customer_type, country FROM customer ORDER BY 1"))
                .containsExactly(List.of("acct-1", "Acme", "business", "ZZ"), List.of("acct-2", "Ministry", "government", "DE"));
        assertThat(inventory("SELECT subscription_id, customer_id, name FROM subscription ORDER BY 1"))
                .containsExactly(List.of("sub-1", "acct-1", "Sub One"), List.of("sub-2", "acct-2", "Two"));
        assertThat(inventory("SELECT service, category, operations FROM service ORDER BY 1"))
                .containsExactly(List.of("object-storage", "Storage", "provision,write,read,export,delete"),
                        List.of("speech-to-text", "AI and Machine Learning", "invoke"));
        assertThat(inventory("SELECT region, name FROM region ORDER BY 1"))
                .containsExactly(List.of("eu-1", "Europe 1"), List.of("us-1", "US 1"));
    }

    @Test
    void theSameBytesAgain_areAlreadyImported_andChangeNothing() throws Exception {
        Path file = cleanFile();
        FocusImport.Result first = importFile(FocusImport.Options.lenient(), file);
        long ledger = journal.ledger().size();

        FocusImport.Result again = importFile(FocusImport.Options.lenient(),
                Files.copy(file, dir.resolve("same bytes, other name.csv")));

        assertThat(again.alreadyImported()).isTrue();
        assertThat(again.importId()).isEqualTo(first.importId());
        assertThat(again.rows()).isEqualTo(3);
        assertThat(again.periodEnd()).isEqualTo(first.periodEnd());
        assertThat(query("SELECT count(*) FROM focus")).containsExactly(List.of("3"));
        assertThat(journal.ledger().size()).isEqualTo(ledger);

        FocusImport.Result overlapping = importFile(FocusImport.Options.lenient(), write(dir.resolve("next.csv"),
                csv(row(), row("ChargePeriodStart", "2024-01-01T05:00:00Z", "ChargePeriodEnd", "2024-01-01T06:00:00Z"))));
        assertThat(overlapping.registered()).as("inventory registration skips what exists")
                .isEqualTo(new Inventory.Registered(0, 0, 0, 0, 4, List.of()));
        assertThat(journal.ledger().size()).isEqualTo(ledger);
    }

    @Test
    void theGeneratorsParquet_passesStrictMode_withoutAWarning() {
        Generator.Result generated = Generator.generate(new Generator.Options(Generator.MIN_CUSTOMERS, 2, dir.resolve("generated")));

        FocusImport.Result r = importFile(FocusImport.Options.strict(), generated.files().get(0));

        assertThat(r.rows()).isEqualTo(generated.rows());
        assertThat(r.warnings()).isEmpty();
        assertThat(r.customers()).isEqualTo(Generator.MIN_CUSTOMERS);
        assertThat(inventory("SELECT customer_id FROM customer WHERE customer_id = '" + Generator.PLANTED + "'")).hasSize(1);
    }

    @Test
    void aParquetFileThatNeedsNothingChanged_isKeptInPlace_andReadThroughTheView_evenAfterReopening() {
        Generator.Result generated = Generator.generate(new Generator.Options(Generator.MIN_CUSTOMERS, 2, dir.resolve("generated")));
        Path file = generated.files().get(0);

        FocusImport.Result r = importFile(FocusImport.Options.lenient(), file);

        Path kept = store.keptFile(r.importId());
        assertThat(kept).exists().hasSameBinaryContentAs(file);
        assertThat(query("SELECT count(*) FROM " + UsageStore.ROWS)).as("no row copied").containsExactly(List.of("0"));
        assertThat(query("SELECT count(*), count(DISTINCT warden_import_id), min(warden_import_id) FROM focus"))
                .containsExactly(List.of(Long.toString(generated.rows()), "1", r.importId()));
        assertThat(query("SELECT kept_file FROM focus_import")).containsExactly(List.of(kept.getFileName().toString()));

        // A file that needs a repair is inserted as before, and both read together.
        Path repaired = FocusFiles.parquet(dir, "lower.parquet", "", List.of(row("ChargeCategory", "usage")));
        FocusImport.Result second = importFile(FocusImport.Options.lenient(), repaired);
        assertThat(second.warnings()).isNotEmpty();
        assertThat(query("SELECT count(*) FROM " + UsageStore.ROWS)).containsExactly(List.of("1"));
        assertThat(query("SELECT count(*) FROM focus")).containsExactly(List.of(Long.toString(generated.rows() + 1)));

        store.close();
        store = UsageStore.open(dir.resolve("data"));
        assertThat(query("SELECT count(*) FROM focus")).containsExactly(List.of(Long.toString(generated.rows() + 1)));
        assertThat(importFile(FocusImport.Options.lenient(), file).alreadyImported()).isTrue();
        assertThat(query("SELECT count(*) FROM focus")).containsExactly(List.of(Long.toString(generated.rows() + 1)));
    }

    @Test
    void aKeptFile_whoseImportFailsAfterTheCopy_isRemoved_andNothingIsKept() {
        Generator.Result generated = Generator.generate(new Generator.Options(Generator.MIN_CUSTOMERS, 2, dir.resolve("generated")));
        journal.close(); // the inventory command, which runs after the copy, now fails

        assertThatThrownBy(() -> importFile(FocusImport.Options.lenient(), generated.files().get(0)))
                .isInstanceOf(RuntimeException.class);

        assertNothingKept();
        assertThat(dir.resolve("data").resolve(UsageStore.FILES)).isEmptyDirectory();
        journal = Journal.open(db, key); // for close()
    }

    @Test
    void strict_rejectsAWrongCaseEnumeration_namingTheFileLineAndColumn_andKeepsNothing() {
        // the first data row's description spans two lines, so the bad row starts on line 4
        Path file = write(dir.resolve("bad.csv"), csv(row("ChargeDescription", "two\nlines"), row("ChargeCategory", "usage")));

        FocusImport.Rejected e = rejected(FocusImport.Options.strict(), file);

        assertThat(e.where()).isEqualTo("line 4");
        assertThat(e.column()).isEqualTo("ChargeCategory");
        assertThat(e).hasMessageStartingWith(file + " line 4, column ChargeCategory: \"usage\" is not a ChargeCategory as FOCUS"
                + " spells it (Usage)");
    }

    static Stream<Arguments> deviations() {
        return Stream.of(
                Arguments.of("ChargePeriodStart", "2024-01-01 00:00:00", "datetime-format", "2024-01-01 00:00:00"),
                Arguments.of("ChargePeriodStart", "2024-01-01T00:00:00", "datetime-format", "2024-01-01 00:00:00"),
                Arguments.of("ChargePeriodStart", "2024-01-01T02:00:00+02:00", "datetime-format", "2024-01-01 00:00:00"),
                Arguments.of("SubAccountName", "NULL", "null-string", null),
                Arguments.of("ChargeDescription", "", "empty-string", null),
                Arguments.of("ChargeFrequency", "usage-based", "enum-case", "Usage-Based"),
                Arguments.of("ServiceCategory", "STORAGE", "enum-case", "Storage"),
                Arguments.of("Tags", "\"{\\\"env\\\":\\\"prod\\\"}\"", "json-string", "{\"env\":\"prod\"}"),
                Arguments.of("BilledCost", "+1.5", "number-format", "1.5"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("deviations")
    void aDeviationOfRealExports_isRejectedInStrictMode_andRepairedAndCountedInLenientMode(String column, String value,
                                                                                         String warning, String stored) {
        Path file = write(dir.resolve("deviant.csv"), csv(row(), row(column, value)));

        FocusImport.Rejected e = rejected(FocusImport.Options.strict(), file);
        assertThat(e.where()).isEqualTo("line 3");
        assertThat(e.column()).isEqualTo(column);

        FocusImport.Result r = importFile(FocusImport.Options.lenient(), file);
        assertThat(r.warnings()).isEqualTo(Map.of(warning, 1L));
        assertThat(query("SELECT CAST(\"" + column + "\" AS VARCHAR) FROM focus ORDER BY \"ChargePeriodStart\", \""
                + column + "\" NULLS LAST LIMIT 1 OFFSET " + (column.equals("ChargePeriodStart") ? 0 : 1)))
                .containsExactly(java.util.Collections.singletonList(stored));
    }

    @Test
    void consumedQuantityOnANonUsageRow_isRejectedInStrictMode_andClearedInLenientMode() {
        Path file = write(dir.resolve("tax.csv"), csv(row(), row("ChargeCategory", "Tax", "ConsumedQuantity", "3")));

        assertThat(rejected(FocusImport.Options.strict(), file).column()).isEqualTo("ConsumedQuantity");

        FocusImport.Result r = importFile(FocusImport.Options.lenient(), file);
        assertThat(r.warnings()).isEqualTo(Map.of("consumed-quantity-not-usage", 1L));
        assertThat(query("SELECT \"ChargeCategory\", \"ConsumedQuantity\", \"ConsumedUnit\" FROM focus ORDER BY 1 DESC"))
                .containsExactly(List.of("Usage", "10.0", "GB"), java.util.Arrays.asList("Tax", null, null));
    }

    @Test
    void extraColumns_areDroppedAndReportedInLenientMode_andAColumnWithoutTheXPrefixIsRejectedInStrictMode() {
        Path file = write(dir.resolve("extra.csv"), csv(row("CostCenter", "cc-1", "x_Team", "blue", "x_SkuMeterCategory", "Hot")));

        FocusImport.Rejected e = rejected(FocusImport.Options.strict("x_SkuMeterCategory"), file);
        assertThat(e.column()).isEqualTo("CostCenter");
        assertThat(e.where()).isNull();

        FocusImport.Result r = importFile(FocusImport.Options.lenient("x_SkuMeterCategory"), file);
        assertThat(r.dropped()).containsExactly("CostCenter", "x_Team");
        assertThat(r.warnings()).isEqualTo(Map.of("dropped-column", 2L));
        assertThat(store.columns()).contains("x_SkuMeterCategory").doesNotContain("CostCenter", "x_Team");
        assertThat(query("SELECT \"x_SkuMeterCategory\" FROM focus")).containsExactly(List.of("Hot"));
    }

    static Stream<Arguments> unrepairable() {
        return Stream.of(
                Arguments.of("BilledCost", "12,5", "is not a number"),
                Arguments.of("BilledCost", "1_000", "is not a number"),
                Arguments.of("ChargePeriodEnd", "soon", "is not a date-time"),
                Arguments.of("ServiceCategory", "Storage Things", "FOCUS 1.2 §ServiceCategory allows"),
                Arguments.of("ServiceSubcategory", "Generative AI", "is not a subcategory of Storage"),
                Arguments.of("BillingAccountId", null, "is missing"),
                Arguments.of("ProviderName", "NULL", "is missing"),
                Arguments.of("Tags", "{\"a\":{\"b\":1}}", "is not a JSON object of strings"),
                Arguments.of("BillingAccountId", "acct 1", "cannot be a Warden id"));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @MethodSource("unrepairable")
    void whatCannotBeRepaired_rejectsTheFileInLenientModeToo(String column, String value, String message) {
        Path file = write(dir.resolve("broken.csv"), csv(row(), row(), row(column, value)));

        FocusImport.Rejected e = rejected(FocusImport.Options.lenient(), file);

        assertThat(e.where()).isEqualTo("line 4");
        assertThat(e.column()).isEqualTo(column);
        assertThat(e).hasMessageContaining(message);
    }

    @Test
    void aMissingMandatoryColumn_orAMalformedRecord_rejectsTheFile() {
        Map<String, String> noCost = row();
        noCost.remove("BilledCost");
        FocusImport.Rejected missing = rejected(FocusImport.Options.lenient(), write(dir.resolve("m.csv"), csv(noCost)));
        assertThat(missing.column()).isEqualTo("BilledCost");
        assertThat(missing).hasMessageContaining("mandatory FOCUS column BilledCost is missing");

        String text = csv(row(), row());
        Path torn = write(dir.resolve("torn.csv"), text + "acct-9,short\n");
        FocusImport.Rejected malformed = rejected(FocusImport.Options.lenient(), torn);
        assertThat(malformed.where()).isEqualTo("line 4");
        assertThat(malformed).hasMessageContaining("Expected Number of Columns").hasMessageNotContaining("acct-9");
    }

    @Test
    void gzipCsv_isRecognisedByItsBytes_andImported() {
        Path file = FocusFiles.gzip(dir.resolve("usage.export"), csv(row(), row("ChargeCategory", "usage")));

        FocusImport.Result r = importFile(FocusImport.Options.lenient(), file);

        assertThat(r.rows()).isEqualTo(2);
        assertThat(r.warnings()).isEqualTo(Map.of("enum-case", 1L));
        assertThat(query("SELECT DISTINCT \"ChargeCategory\" FROM focus")).containsExactly(List.of("Usage"));
    }

    @Test
    void parquet_isImportedWithItsTypes_andARejectionNamesTheRowNumber() {
        Path good = FocusFiles.parquet(dir, "good.parquet", "", List.of(row(), row("RegionId", "eu-2", "RegionName", "Europe 2")));
        FocusImport.Result r = importFile(FocusImport.Options.strict(), good);
        assertThat(r.rows()).isEqualTo(2);
        assertThat(r.regions()).isEqualTo(2);
        assertThat(query("SELECT sum(\"BilledCost\"), CAST(min(\"ChargePeriodStart\") AS VARCHAR) FROM focus"))
                .containsExactly(List.of("3.0", "2024-01-01 00:00:00"));

        Path bad = FocusFiles.parquet(dir, "bad.parquet", "", List.of(row(), row(), row("ChargeCategory", "Usge")));
        FocusImport.Rejected e = catchThrowableOfType(FocusImport.Rejected.class,
                () -> importFile(FocusImport.Options.lenient(), bad));
        assertThat(e.where()).isEqualTo("row 3");
        assertThat(e.column()).isEqualTo("ChargeCategory");
        assertThat(query("SELECT count(*) FROM focus")).containsExactly(List.of("2"));
    }

    @Test
    void parquet_withTagsAsAMapAndANumericAccountId_isConvertedInLenientModeOnly() {
        Path file = FocusFiles.parquet(dir, "typed.parquet", "MAP {'env': 'prod'} AS \"Tags\", CAST(123456789012 AS BIGINT)"
                + " AS \"BillingAccountId\"", List.of(row()));

        assertThat(rejected(FocusImport.Options.strict(), file).column()).isEqualTo("BillingAccountId");

        FocusImport.Result r = importFile(FocusImport.Options.lenient(), file);
        assertThat(r.warnings()).isEqualTo(Map.of("column-type", 2L));
        assertThat(query("SELECT \"BillingAccountId\", \"Tags\" FROM focus")).containsExactly(List.of("123456789012", "{\"env\":\"prod\"}"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x_MessageBody", "x_Transcript", "x_callee_phone", "Transcript", "x_TRANSCRIPT", "x_msg_body",
            "x_audioRecordingUrl", "x_Tr\u0430nscript", "x_\uFF34ranscript", "x_Ph0neNumber", "x_Message\u200BText",
            "x_SMS_Text", "x_Subject_Line", "x_Tráñscript", "CallerEmail"})
    void aColumnNamedLikeContent_rejectsTheFile_evenWhenAllowlisted(String name) {
        Path file = write(dir.resolve("content.csv"), csv(row(name, "n/a")));

        for (FocusImport.Options options : List.of(FocusImport.Options.lenient(), allowing(name))) {
            FocusImport.Rejected e = rejected(options, file);
            assertThat(e.column()).isEqualTo(name);
            assertThat(e).hasMessageContaining("looks like content");
        }
    }

    static FocusImport.Options allowing(String name) {
        return name.matches("x_[A-Za-z0-9_]{1,60}") ? FocusImport.Options.lenient(name) : FocusImport.Options.lenient();
    }

    static Stream<Arguments> contentValues() {
        List<String> phones = List.of("+49 30 1234567", "+14155552671", "(415) 555-2671", "notes", "n/a");
        List<String> mails = List.of("ok", "alice@example.org", "fine");
        List<String> text = IntStream.range(0, 12).mapToObj(i -> "Hello, this is message number " + i
                + " and it says something private about the meeting").toList();
        return Stream.of(Arguments.of("x_Notes", phones, "phone numbers"), Arguments.of("x_Owner", mails, "e-mail addresses"),
                Arguments.of("x_Comment", text, "free text"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("contentValues")
    void aColumnWithContentLikeValues_rejectsTheFile_keptOrDropped(String name, List<String> values, String why) {
        List<Map<String, String>> rows = values.stream().map(v -> row(name, v)).toList();
        Path file = write(dir.resolve("values.csv"), csv(rows));

        for (FocusImport.Options options : List.of(FocusImport.Options.lenient(name), FocusImport.Options.lenient())) {
            FocusImport.Rejected e = rejected(options, file);
            assertThat(e.column()).isEqualTo(name);
            assertThat(e).hasMessageContaining(why).hasMessageNotContaining("4155552671").hasMessageNotContaining("alice");
        }
    }

    @Test
    void businessCustomColumns_withQuantityNamesOrDescriptions_areKept() {
        List<Map<String, String>> rows = IntStream.range(0, 12).mapToObj(i -> row("x_MessageCount", String.valueOf(i),
                "x_SkuDescription", "Standard data stored, hot tier, locally redundant, in region " + (i % 2),
                "x_ResourceGroupName", "rg-" + i)).toList();
        Path file = write(dir.resolve("business.csv"), csv(rows));

        FocusImport.Result r = importFile(FocusImport.Options.lenient("x_MessageCount", "x_SkuDescription", "x_ResourceGroupName"), file);

        assertThat(r.rows()).isEqualTo(12);
        assertThat(r.dropped()).isEmpty();
    }

    @Test
    void progress_isReportedForEachStep() {
        List<String> steps = new CopyOnWriteArrayList<>();
        new FocusImport(store, new Inventory(journal), Principal.SYSTEM, FocusImport.Options.lenient())
                .importFile(cleanFile(), (file, step, percent) -> steps.add(file + " " + step + " " + (int) percent));

        assertThat(steps).contains("clean.csv checking 100", "clean.csv checking values 100", "clean.csv importing 100");
    }
}
