package dev.warden.detection;

import dev.warden.usage.UsageStore;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * The SQL a condition compiles to means what the CEL means: both evaluated on seeded random
 * values (never zero, so no division by zero, where the two differ by design) for the sample
 * pack's conditions and expressions that use every translatable operator.
 */
class ConditionTest {
    static final List<String> EXTRA = List.of(
            "!(a > b) || -c < 2.0 * d",
            "a / b >= 1.5 ? c != d : c == d",
            "a - b + c * d / a <= 10.0 && !(b == 3.0)",
            "a > 2 && b < 1000000",
            "double(a) > b");

    static RulePack.Rule rule(String condition, List<String> names) {
        List<RulePack.Measure> measures = new ArrayList<>();
        for (String n : names) {
            measures.add(new RulePack.Measure(n, RulePack.Aggregate.SUM, "BilledCost", Map.of(), null, 1));
        }
        return new RulePack.Rule("r", "t", RulePack.Severity.LOW, "c", RulePack.Subject.CUSTOMER, Duration.ofDays(30),
                measures, List.of(), condition, "", 1);
    }

    @Test
    void compiledSql_agreesWithCel_onSeededRandomValues() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<RulePack.Rule> rules = new ArrayList<>();
        for (String e : EXTRA) {
            rules.add(rule(e, List.of("a", "b", "c", "d")));
        }
        rules.addAll(RulePackLoader.load(Path.of("..", "rules", "surveillance-indicators.yaml")).rules());
        int checked = 0;
        try (UsageStore store = UsageStore.inMemory(); Statement s = store.connection().createStatement()) {
            for (RulePack.Rule r : rules) {
                String sql = Condition.toSql(r, name -> "v_" + name);
                var cel = Condition.evaluator(r);
                List<Map<String, Double>> samples = new ArrayList<>();
                StringBuilder rows = new StringBuilder();
                for (int i = 0; i < 300; i++) {
                    Map<String, Double> values = new LinkedHashMap<>();
                    rows.append(i == 0 ? "" : ", ").append("(").append(i);
                    for (String name : r.variables()) {
                        // magnitudes from 1e-3 to 1e7, both signs, and small integers to hit == exactly
                        double v = random.nextInt(4) == 0 ? random.nextInt(5) + 1
                                : Math.pow(10, random.nextDouble() * 10 - 3) * (random.nextInt(5) == 0 ? -1 : 1);
                        values.put(name, v);
                        rows.append(", CAST(").append(v).append(" AS DOUBLE)");
                    }
                    rows.append(")");
                    samples.add(values);
                }
                String columns = String.join(", ", r.variables().stream().map(n -> "v_" + n).toList());
                try (ResultSet rs = s.executeQuery("SELECT i, " + sql + " FROM (VALUES " + rows + ") t(i, " + columns
                        + ") ORDER BY i")) {
                    while (rs.next()) {
                        Map<String, Double> values = samples.get(rs.getInt(1));
                        boolean db = rs.getBoolean(2) && !rs.wasNull();
                        if (db != cel.test(values)) {
                            fail("seed " + seed + ": \"" + r.condition() + "\" with " + values + ": CEL " + !db + ", SQL " + db);
                        }
                        checked++;
                    }
                }
            }
        }
        assertThat(checked).isEqualTo(rules.size() * 300);
    }

    @Test
    void whatSqlCannotSay_isRefusedWhenThePackLoads() {
        assertThatThrownBy(() -> Condition.compile(rule("[a, b][0] > 1.0", List.of("a", "b"))))
                .hasMessageContaining("cannot be compiled to SQL");
        assertThatThrownBy(() -> Condition.compile(rule("a", List.of("a")))).hasMessageContaining("condition:");
    }
}
