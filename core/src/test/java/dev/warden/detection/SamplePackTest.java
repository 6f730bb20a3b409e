package dev.warden.detection;

import dev.warden.usage.Generator;
import dev.warden.usage.UsageStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The planted-pattern test: over a year of a small synthetic provider (the generator's planted
 * customer modelled on the public figures of the case, a video platform with huge storage and a
 * call-centre company with large speech-to-text volume, and ordinary customers), the sample pack
 * at its default thresholds flags the planted customer's two subscriptions that carry the
 * pattern, and none of the benign heavy users, nor anyone else.
 */
class SamplePackTest {
    static final Path PACK = Path.of("..", "rules", "surveillance-indicators.yaml");

    @TempDir
    static Path dir;
    static UsageStore store;
    static Generator.Result data;

    @BeforeAll
    static void generate() {
        data = Generator.generate(new Generator.Options(60, 365, LocalDate.of(2025, 1, 1), 7, dir.resolve("focus")));
        store = UsageStore.inMemory();
        store.execute("INSERT INTO " + UsageStore.ROWS + " BY NAME SELECT *, 'test' AS warden_import_id FROM read_parquet('"
                + dir.resolve("focus").toAbsolutePath() + "/*.parquet')");
    }

    @AfterAll
    static void close() {
        store.close();
    }

    static String describe(List<Detection.Hit> hits) {
        return hits.stream().map(h -> h.rule().id() + " " + h.subject() + " " + RulesText.values(h.values()))
                .collect(Collectors.joining("\n"));
    }

    @Test
    void atTheEndOfTheYear_thePackFlagsThePlantedSubscriptions_andNoOneElse() {
        RulePack pack = RulePackLoader.load(PACK);
        Instant end = data.end().atStartOfDay(ZoneOffset.UTC).toInstant();
        List<Detection.Hit> hits = new Detection(store).evaluate(pack, end);
        assertThat(hits).as(describe(hits)).isNotEmpty();
        assertThat(hits).as(describe(hits)).extracting(Detection.Hit::customerId).containsOnly(Generator.PLANTED);
        Set<String> subjects = hits.stream().map(Detection.Hit::subject).collect(Collectors.toCollection(TreeSet::new));
        assertThat(subjects).as(describe(hits)).contains("sub-planted-1", "sub-planted-2").doesNotContain("sub-planted-3");
        assertThat(hits.stream().map(h -> h.rule().id()).distinct().count()).as(describe(hits)).isGreaterThanOrEqualTo(5);
    }

    @Test
    void inAMonthlyBacktest_noBenignHeavyUserOrOrdinaryCustomerIsEverFlagged() {
        RulePack pack = RulePackLoader.load(PACK);
        List<Detection.Window> windows = new Detection(store).backtest(pack, Instant.parse("2025-02-01T00:00:00Z"),
                data.end().atStartOfDay(ZoneOffset.UTC).toInstant().plusSeconds(1), Duration.ofDays(30));
        List<Detection.Hit> all = windows.stream().flatMap(w -> w.hits().stream()).toList();
        assertThat(all).as(describe(all)).extracting(Detection.Hit::customerId).containsOnly(Generator.PLANTED);
    }
}
