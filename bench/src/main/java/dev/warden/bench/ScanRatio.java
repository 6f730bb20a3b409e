package dev.warden.bench;

import dev.warden.detection.Detection;
import dev.warden.detection.RulePack;
import dev.warden.detection.RulePackLoader;
import dev.warden.usage.UsageStore;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;

/**
 * The scan of a rule pack next to its limit, run alternately in one process over the same usage
 * store: (A) the pack compiled to one query ({@link Detection#evaluate}), and (B) one hand-written
 * DuckDB query computing the same aggregates as the sample pack {@code surveillance-indicators}
 * (storage, speech-to-text, translation and AI spend in the current 30-day window and the windows
 * 90 and 180 days earlier; per-region maxima, distinct regions and peer percentiles), written
 * the way a person would: one scan grouped by subscription and region, then two small groupings.
 * Prints each round, then the medians and the median ratio A/B.
 *
 * <p>Run: {@code bench/run scan <data-dir> [rounds] [pack]}, after {@code warden generate} and
 * {@code warden usage import} into that data directory.
 */
public final class ScanRatio {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        Path packFile = Path.of(args.length > 2 ? args[2] : "rules/surveillance-indicators.yaml");
        RulePack pack = RulePackLoader.load(packFile);
        try (UsageStore store = UsageStore.open(dir)) {
            Detection detection = new Detection(store);
            Instant at = detection.dataEnd().orElseThrow(() -> new IllegalStateException("the usage store is empty"));
            long rows;
            try (Statement s = store.connection().createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM focus")) {
                rs.next();
                rows = rs.getLong(1);
            }
            String handWritten = handWritten(at);
            System.out.printf("%,d rows; pack %s (%d rules) at %s%n", rows, pack.name(), pack.rules().size(), at);
            // warm-up: one of each
            int hits = detection.evaluate(pack, at).size();
            long check = run(store, handWritten);
            System.out.printf("warm-up: %d hits; hand-written query checksum %d%n", hits, check);
            double[] a = new double[rounds];
            double[] b = new double[rounds];
            double[] ratio = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                detection.evaluate(pack, at);
                long t1 = System.nanoTime();
                run(store, handWritten);
                long t2 = System.nanoTime();
                a[r] = (t1 - t0) / 1e9;
                b[r] = (t2 - t1) / 1e9;
                ratio[r] = a[r] / b[r];
                System.out.printf("round %2d: scan (compiled pack) %.2f s, hand-written query %.2f s, ratio %.2f%n",
                        r + 1, a[r], b[r], ratio[r]);
            }
            System.out.printf("median over %d rounds, %,d rows: scan %.2f s (%,.0f rows/s), hand-written %.2f s,"
                    + " median ratio %.2f%n", rounds, rows, median(a), rows / median(a), median(b), median(ratio));
        }
    }

    private static long run(UsageStore store, String sql) throws Exception {
        try (Statement s = store.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** The same aggregates as surveillance-indicators, by hand. */
    static String handWritten(Instant at) {
        String t = ts(at);
        String c0 = ts(at.minusSeconds(30L * 86400));
        String p90s = ts(at.minusSeconds(120L * 86400));
        String p90e = ts(at.minusSeconds(90L * 86400));
        String p180s = ts(at.minusSeconds(210L * 86400));
        String p180e = ts(at.minusSeconds(180L * 86400));
        String cur = "ChargePeriodStart >= " + c0;
        String p90 = "ChargePeriodStart >= " + p90s + " AND ChargePeriodStart < " + p90e;
        String p180 = "ChargePeriodStart >= " + p180s + " AND ChargePeriodStart < " + p180e;
        String storage = "ServiceCategory = 'Storage' AND ConsumedUnit = 'GB-Month'";
        String speech = "ServiceName = 'Speech to Text' AND ConsumedUnit = 'Hours'";
        String translation = "ServiceName = 'Translation' AND ConsumedUnit = '1M Characters'";
        String ai = "ServiceCategory = 'AI and Machine Learning'";
        return """
                WITH g AS (
                  SELECT SubAccountId AS s, BillingAccountId AS c, BillingAccountType AS t, RegionId AS r,
                    SUM(CASE WHEN %1$s AND %4$s THEN ConsumedQuantity END) AS st,
                    SUM(CASE WHEN %2$s AND %4$s THEN ConsumedQuantity END) AS st90,
                    SUM(CASE WHEN %3$s AND %4$s THEN ConsumedQuantity END) AS st180,
                    SUM(CASE WHEN %1$s AND %5$s THEN ConsumedQuantity END) AS sp,
                    SUM(CASE WHEN %2$s AND %5$s THEN ConsumedQuantity END) AS sp90,
                    SUM(CASE WHEN %3$s AND %5$s THEN ConsumedQuantity END) AS sp180,
                    SUM(CASE WHEN %1$s AND %6$s THEN ConsumedQuantity END) AS tr,
                    SUM(CASE WHEN %3$s AND %6$s THEN ConsumedQuantity END) AS tr180,
                    SUM(CASE WHEN %1$s AND %7$s THEN EffectiveCost END) AS ai,
                    SUM(CASE WHEN %2$s AND %7$s THEN EffectiveCost END) AS ai90,
                    SUM(CASE WHEN %3$s AND %7$s THEN EffectiveCost END) AS ai180
                  FROM focus WHERE ChargePeriodStart >= %8$s AND ChargePeriodStart < %9$s
                  GROUP BY SubAccountId, BillingAccountId, BillingAccountType, RegionId
                ),
                sub AS (
                  SELECT s, SUM(st) AS st, MAX(st) AS st_top, SUM(st180) AS st180, SUM(sp) AS sp, SUM(sp90) AS sp90,
                    SUM(sp180) AS sp180, SUM(tr) AS tr, SUM(tr180) AS tr180
                  FROM g WHERE s IS NOT NULL GROUP BY s
                ),
                cr AS (SELECT c, t, r, SUM(st) AS st FROM g GROUP BY c, t, r),
                cust AS (
                  SELECT g.c, MIN(g.t) AS t, SUM(g.st) AS st, SUM(g.st90) AS st90, SUM(g.sp) AS sp, SUM(g.sp180) AS sp180,
                    SUM(g.ai) AS ai, SUM(g.ai90) AS ai90, SUM(g.ai180) AS ai180
                  FROM g GROUP BY g.c
                ),
                cust2 AS (
                  SELECT cust.*, (SELECT MAX(st) FROM cr WHERE cr.c = cust.c) AS st_top,
                    (SELECT COUNT(DISTINCT r) FROM cr WHERE cr.c = cust.c AND cr.st > 0) AS regions,
                    PERCENT_RANK() OVER (PARTITION BY t ORDER BY COALESCE(sp, 0)) AS sp_peer,
                    PERCENT_RANK() OVER (PARTITION BY t ORDER BY COALESCE(ai, 0)) AS ai_peer
                  FROM cust
                )
                SELECT (SELECT COUNT(*) + CAST(SUM(COALESCE(st, 0) + COALESCE(st_top, 0) + COALESCE(st180, 0) + COALESCE(sp, 0)
                          + COALESCE(sp90, 0) + COALESCE(sp180, 0) + COALESCE(tr, 0) + COALESCE(tr180, 0)) AS BIGINT) FROM sub)
                     + (SELECT COUNT(*) + CAST(SUM(COALESCE(st, 0) + COALESCE(st90, 0) + COALESCE(sp, 0) + COALESCE(sp180, 0)
                          + COALESCE(ai, 0) + COALESCE(ai90, 0) + COALESCE(ai180, 0) + COALESCE(st_top, 0) + regions + sp_peer
                          + ai_peer) AS BIGINT) FROM cust2)
                """.formatted(cur, p90, p180, storage, speech, translation, ai, p180s, t);
    }

    private static String ts(Instant i) {
        return "TIMESTAMP '" + TS.format(i) + "'";
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
