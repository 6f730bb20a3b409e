package dev.warden.detection;

import dev.warden.detection.RulePack.Aggregate;
import dev.warden.detection.RulePack.Measure;
import dev.warden.detection.RulePack.Rule;
import dev.warden.detection.RulePack.Subject;
import dev.warden.usage.UsageStore;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Compiles a whole rule pack, evaluated at one instant, into one SQL query over the usage table.
 *
 * <p>Why one query: the table is large and the rules are many, so it is read once. The first
 * step groups the rows in the union of all windows by customer, subscription, peer group, region
 * and service, computing every (measure, window) pair as a conditional aggregate
 * ({@code SUM(CASE WHEN <window> AND <filters> THEN x END)}). Everything after works on that small
 * result: the per-subject totals, the largest value per key ({@code per}), the distinct counts,
 * the peer percentiles ({@code PERCENT_RANK}), and each rule's condition.
 *
 * <p>The output is kept close to ANSI SQL (CTEs, CASE, COALESCE, NULLIF, PERCENT_RANK,
 * {@code TIMESTAMP '...'} literals, unquoted FOCUS column names) so that the same text runs on
 * Spark over the providers' FOCUS Parquet. Result columns: {@code rule_id, subject, customer_id},
 * then {@code x0..xN}, rule by rule the values of its {@link Rule#variables()} in order.
 */
final class PackSql {
    static final String TABLE = UsageStore.TABLE;
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    /** Level-1 grouping keys: the FOCUS column and its name in the grouped result. */
    private static final Map<String, String> KEY_ALIAS = Map.of("BillingAccountId", "customer_id",
            "SubAccountId", "subscription_id", "RegionId", "region_id", "ServiceName", "service_name");

    private PackSql() {
    }

    /** The compiled query and the number of value columns it returns. */
    record Compiled(String sql, int width) {
    }

    /**
     * @param historyStart the start of the usage history (its earliest ChargePeriodStart), or null
     *                     if unknown: an earlier window that begins before it is not a baseline
     *                     but an artefact of a short history, so it is NULL (no ratio to it flags)
     */
    static Compiled compile(RulePack pack, Instant at, Instant historyStart) {
        // Level 1: one column per distinct (aggregate, column, filters, window).
        Map<String, String> level1 = new LinkedHashMap<>(); // key -> "c<n>"
        Map<String, String> level1Sql = new LinkedHashMap<>(); // "c<n>" -> SQL
        Instant earliest = at;
        for (Rule r : pack.rules()) {
            for (Measure m : r.measures()) {
                earliest = min(earliest, at.minus(r.window()));
                column(level1, level1Sql, m, at.minus(r.window()), at, at);
            }
            for (RulePack.Baseline b : r.baselines()) {
                if (b instanceof RulePack.Previous p) {
                    Instant end = at.minus(p.shift());
                    earliest = min(earliest, end.minus(r.window()));
                    column(level1, level1Sql, measure(r, p.measure()), end.minus(r.window()), end, at);
                }
            }
        }
        // Group only by the keys the pack uses: every extra key multiplies the groups of the one big scan.
        java.util.SortedSet<String> keys = new java.util.TreeSet<>(List.of("BillingAccountId"));
        for (Rule r : pack.rules()) {
            keys.add(r.subject().column());
            for (Measure m : r.measures()) {
                if (m.per() != null) {
                    keys.add(m.per());
                }
                if (m.aggregate() == Aggregate.DISTINCT) {
                    keys.add(m.of());
                }
            }
        }
        StringBuilder sql = new StringBuilder("WITH base AS (\n  SELECT ");
        sql.append(keys.stream().map(k -> k + " AS " + KEY_ALIAS.get(k)).collect(Collectors.joining(", ")));
        sql.append(", BillingAccountType AS peer_group");
        level1Sql.forEach((alias, expr) -> sql.append(",\n    ").append(expr).append(" AS ").append(alias));
        sql.append("\n  FROM ").append(TABLE).append("\n  WHERE ChargePeriodStart >= ").append(ts(earliest))
                .append(" AND ChargePeriodStart < ").append(ts(at)).append("\n  GROUP BY ")
                .append(String.join(", ", keys))
                .append(", BillingAccountType\n)");

        // Level 2: per subject kind, totals and distinct counts; per-key maxima in their own CTEs.
        Map<String, String> level2 = new LinkedHashMap<>(); // "subject|treatment|c<n>" -> expression over l.*/p.*
        List<String> ctes = new ArrayList<>();
        Map<Subject, Map<String, String>> totals = new LinkedHashMap<>();
        Map<String, String> perCtes = new LinkedHashMap<>(); // key -> cte name
        for (Rule r : pack.rules()) {
            for (Measure m : r.measures()) {
                treatment(totals, perCtes, r.subject(), m, level1.get(key(m, at.minus(r.window()), at)));
            }
            for (RulePack.Baseline b : r.baselines()) {
                if (b instanceof RulePack.Previous p) {
                    Instant end = at.minus(p.shift());
                    Measure m = measure(r, p.measure());
                    treatment(totals, perCtes, r.subject(), m, level1.get(key(m, end.minus(r.window()), end)));
                }
            }
        }
        for (Map.Entry<Subject, Map<String, String>> e : totals.entrySet()) {
            String subjectColumn = KEY_ALIAS.get(e.getKey().column());
            StringBuilder cte = new StringBuilder(level(e.getKey()) + " AS (\n  SELECT " + subjectColumn
                    + " AS subject, MIN(customer_id) AS customer_id, MIN(peer_group) AS peer_group");
            e.getValue().forEach((alias, expr) -> cte.append(",\n    ").append(expr).append(" AS ").append(alias));
            cte.append("\n  FROM base WHERE ").append(subjectColumn).append(" IS NOT NULL GROUP BY ").append(subjectColumn)
                    .append("\n)");
            ctes.add(cte.toString());
        }
        perCtes.forEach((spec, name) -> {
            String[] p = spec.split("\\|"); // subject|key|aggregate|c<n>
            String subjectColumn = KEY_ALIAS.get(Subject.valueOf(p[0]).column());
            String agg = p[2].equals("MAX") ? "MAX" : "SUM";
            ctes.add(name + " AS (\n  SELECT subject, MAX(v) AS v FROM (SELECT " + subjectColumn + " AS subject, "
                    + KEY_ALIAS.get(p[1]) + " AS k, " + agg + "(" + p[3] + ") AS v FROM base WHERE " + subjectColumn
                    + " IS NOT NULL GROUP BY " + subjectColumn + ", " + KEY_ALIAS.get(p[1]) + ") t GROUP BY subject\n)");
        });

        // Rules: the named values, then the condition over them.
        int width = pack.rules().stream().mapToInt(r -> r.variables().size()).max().orElse(0);
        List<String> selects = new ArrayList<>();
        for (int i = 0; i < pack.rules().size(); i++) {
            Rule r = pack.rules().get(i);
            Map<String, String> values = new LinkedHashMap<>();
            List<String> joins = new ArrayList<>();
            for (Measure m : r.measures()) {
                values.put(m.name(), valueOf(r.subject(), m, level1.get(key(m, at.minus(r.window()), at)), perCtes, joins));
            }
            for (RulePack.Baseline b : r.baselines()) {
                if (b instanceof RulePack.Previous p) {
                    Instant end = at.minus(p.shift());
                    Measure m = measure(r, p.measure());
                    values.put(b.name(), historyStart != null && end.minus(r.window()).isBefore(historyStart)
                            ? "CAST(NULL AS DOUBLE)"
                            : valueOf(r.subject(), m, level1.get(key(m, end.minus(r.window()), end)), perCtes, joins));
                } else {
                    values.put(b.name(), "PERCENT_RANK() OVER (PARTITION BY l.peer_group ORDER BY " + values.get(b.measure()) + ")");
                }
            }
            String cte = "r" + i;
            StringBuilder c = new StringBuilder(cte + " AS (\n  SELECT l.subject, l.customer_id");
            values.forEach((name, expr) -> c.append(",\n    ").append(expr).append(" AS v_").append(name));
            c.append("\n  FROM ").append(level(r.subject())).append(" l");
            joins.stream().distinct().forEach(j -> c.append("\n  LEFT JOIN ").append(j).append(" ON ").append(j)
                    .append(".subject = l.subject"));
            c.append("\n)");
            ctes.add(c.toString());
            StringBuilder s = new StringBuilder("SELECT '" + r.id() + "' AS rule_id, subject, customer_id");
            List<String> names = r.variables();
            for (int x = 0; x < width; x++) {
                s.append(", ").append(x < names.size() ? "v_" + names.get(x) : "CAST(NULL AS DOUBLE)").append(" AS x").append(x);
            }
            s.append(" FROM ").append(cte).append(" WHERE ").append(Condition.toSql(r, name -> "v_" + name));
            selects.add(s.toString());
        }
        for (String cte : ctes) {
            sql.append(",\n").append(cte);
        }
        sql.append("\n").append(String.join("\nUNION ALL\n", selects)).append("\nORDER BY rule_id, subject");
        return new Compiled(sql.toString(), width);
    }

    private static void column(Map<String, String> level1, Map<String, String> level1Sql, Measure m, Instant from, Instant to,
            Instant at) {
        String key = key(m, from, to);
        if (level1.containsKey(key)) {
            return;
        }
        String alias = "c" + level1.size();
        level1.put(key, alias);
        StringBuilder when = new StringBuilder("ChargePeriodStart >= " + ts(from) + (to.equals(at)
                ? "" : " AND ChargePeriodStart < " + ts(to))); // the scan's WHERE already ends at the instant
        m.where().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(f -> when.append(" AND ").append(f.getKey())
                .append(" IN (").append(f.getValue().stream().map(UsageStore::literal).collect(Collectors.joining(", "))).append(")"));
        String expr = switch (m.aggregate()) {
            case SUM -> "SUM(CASE WHEN " + when + " THEN " + m.of() + " END)";
            case MAX -> "MAX(CASE WHEN " + when + " THEN " + m.of() + " END)";
            case COUNT, DISTINCT -> "COUNT(CASE WHEN " + when + " THEN 1 END)";
        };
        level1Sql.put(alias, expr);
    }

    /** Registers what level 2 needs of level-1 column {@code c} for measure {@code m}. */
    private static void treatment(Map<Subject, Map<String, String>> totals, Map<String, String> perCtes, Subject subject,
            Measure m, String c) {
        Map<String, String> t = totals.computeIfAbsent(subject, k -> new LinkedHashMap<>());
        if (m.per() != null) {
            perCtes.computeIfAbsent(subject + "|" + m.per() + "|" + m.aggregate() + "|" + c, k -> "p" + perCtes.size());
        } else if (m.aggregate() == Aggregate.DISTINCT) {
            t.put("d_" + KEY_ALIAS.get(m.of()) + "_" + c, "COUNT(DISTINCT CASE WHEN " + c + " > 0 THEN " + KEY_ALIAS.get(m.of()) + " END)");
        } else {
            t.put("t_" + c, "COALESCE(" + (m.aggregate() == Aggregate.MAX ? "MAX" : "SUM") + "(" + c + "), 0)");
        }
    }

    /** The expression, over level 2 ({@code l}) and its joins, for measure {@code m} in level-1 column {@code c}. */
    private static String valueOf(Subject subject, Measure m, String c, Map<String, String> perCtes, List<String> joins) {
        if (m.per() != null) {
            String cte = perCtes.get(subject + "|" + m.per() + "|" + m.aggregate() + "|" + c);
            joins.add(cte);
            return "CAST(COALESCE(" + cte + ".v, 0) AS DOUBLE)";
        }
        if (m.aggregate() == Aggregate.DISTINCT) {
            return "CAST(l.d_" + KEY_ALIAS.get(m.of()) + "_" + c + " AS DOUBLE)";
        }
        return "CAST(l.t_" + c + " AS DOUBLE)";
    }

    private static String key(Measure m, Instant from, Instant to) {
        return m.aggregate() + "|" + m.of() + "|" + new java.util.TreeMap<>(m.where()) + "|" + from + "|" + to;
    }

    private static Measure measure(Rule r, String name) {
        return r.measures().stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no measure " + name));
    }

    private static String level(Subject s) {
        return "by_" + s.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** A TIMESTAMP literal (SQL:2016 §5.3), in UTC as the FOCUS columns are. */
    static String ts(Instant t) {
        return "TIMESTAMP '" + TS.format(t) + "'";
    }
}
