package dev.warden.detection;

import dev.warden.event.Check;
import dev.warden.event.Event;
import dev.warden.event.Journal;
import dev.warden.event.Rejection;
import dev.warden.event.Sql;
import dev.warden.principal.Principal;
import dev.warden.usage.UsageException;
import dev.warden.usage.UsageStore;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Runs rule packs over the usage store: {@link #evaluate} at one instant, {@link #backtest} over
 * history, creating nothing, and {@link #scan}, which records each new hit as a finding in the
 * ledger and can open a case for it or attach it to one.
 *
 * <p>Rules flag, people decide: nothing here proposes or applies a restriction.
 */
public final class Detection {
    private final UsageStore store;

    public Detection(UsageStore store) {
        this.store = store;
    }

    /**
     * A subject a rule flagged at one instant.
     *
     * @param values the rule's measures and baselines by name, in the rule's order
     */
    public record Hit(RulePack.Rule rule, String subject, String customerId, Instant windowStart, Instant windowEnd,
            LinkedHashMap<String, Double> values) {
    }

    /**
     * The SQL that {@link #evaluate} runs for {@code pack} at {@code at}, for review and for
     * Spark, over a usage history that starts at {@code historyStart} (null: long enough).
     */
    public static String sql(RulePack pack, Instant at, Instant historyStart) {
        return PackSql.compile(pack, at, historyStart).sql();
    }

    /**
     * Every hit of {@code pack} with windows ending at {@code at}, by rule then subject. A
     * baseline window that begins before the imported history is unknown, not zero.
     */
    public List<Hit> evaluate(RulePack pack, Instant at) {
        return evaluate(pack, at, dataStart().orElse(null));
    }

    private List<Hit> evaluate(RulePack pack, Instant at, Instant historyStart) {
        PackSql.Compiled q = PackSql.compile(pack, at, historyStart);
        Map<String, RulePack.Rule> rules = new LinkedHashMap<>();
        pack.rules().forEach(r -> rules.put(r.id(), r));
        List<Hit> hits = new ArrayList<>();
        try (Statement s = store.connection().createStatement(); ResultSet rs = s.executeQuery(q.sql())) {
            while (rs.next()) {
                RulePack.Rule r = rules.get(rs.getString(1));
                LinkedHashMap<String, Double> values = new LinkedHashMap<>();
                List<String> names = r.variables();
                for (int i = 0; i < names.size(); i++) {
                    double v = rs.getDouble(4 + i);
                    values.put(names.get(i), rs.wasNull() ? null : v);
                }
                hits.add(new Hit(r, rs.getString(2), rs.getString(3), at.minus(r.window()), at, values));
            }
        } catch (SQLException e) {
            throw new UsageException("rule pack \"" + pack.name() + "\" failed at " + at + ": " + e.getMessage(), e);
        }
        return hits;
    }

    /** The hits of one backtest window. */
    public record Window(Instant at, List<Hit> hits) {
    }

    /**
     * Runs {@code pack} as if at each instant from {@code from} (inclusive) to {@code to}
     * (exclusive) every {@code step}; creates nothing.
     */
    public List<Window> backtest(RulePack pack, Instant from, Instant to, Duration step) {
        if (step.isNegative() || step.isZero()) {
            throw new IllegalArgumentException("--step must be positive");
        }
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("--from " + from + " is not before --to " + to);
        }
        List<Window> out = new ArrayList<>();
        Instant historyStart = dataStart().orElse(null);
        for (Instant at = from; at.isBefore(to); at = at.plus(step)) {
            out.add(new Window(at, evaluate(pack, at, historyStart)));
        }
        return out;
    }

    /** The end of the latest usage in the store: "now" for a scan of imported history. */
    public Optional<Instant> dataEnd() {
        return instant("SELECT MAX(ChargePeriodEnd) FROM " + UsageStore.TABLE);
    }

    /** The start of the earliest usage in the store. */
    public Optional<Instant> dataStart() {
        return instant("SELECT MIN(ChargePeriodStart) FROM " + UsageStore.TABLE);
    }

    private Optional<Instant> instant(String sql) {
        try (Statement s = store.connection().createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            Timestamp t = rs.getTimestamp(1);
            return t == null ? Optional.empty() : Optional.of(t.toLocalDateTime().toInstant(ZoneOffset.UTC));
        } catch (SQLException e) {
            throw new UsageException("couldn't read the usage store: " + e.getMessage(), e);
        }
    }

    /** What to do with new findings besides recording them. */
    public enum CaseAction {
        /** Record only. */
        NONE,
        /** Attach each to the customer's open case, opening one if there is none. */
        OPEN_OR_ATTACH
    }

    /** What a scan did: hits seen, findings recorded, hits already found before, cases opened, findings attached. */
    public record ScanResult(int hits, List<String> recorded, int alreadyFound, List<String> casesOpened, int attached) {
    }

    /**
     * Runs {@code pack} at {@code at} and records every hit not found before (one finding per
     * pack, rule and subject) as a {@code finding.recorded} event, all in one command: all or
     * nothing. With {@link CaseAction#OPEN_OR_ATTACH}, new findings go to their customer's open
     * case, or to a case opened for them.
     */
    public ScanResult scan(Journal journal, Principal by, RulePack pack, Instant at, CaseAction action) {
        List<Hit> hits = evaluate(pack, at);
        return journal.run(by, ctx -> {
            Check.role(ctx.by(), dev.warden.principal.Role.ANALYST, dev.warden.principal.Role.SYSTEM);
            List<String> recorded = new ArrayList<>();
            Map<String, List<String>> byCustomer = new TreeMap<>();
            Map<String, TreeSet<String>> rulesByCustomer = new TreeMap<>();
            int already = 0;
            for (Hit h : hits) {
                String subjectType = h.rule().subject().name().toLowerCase(java.util.Locale.ROOT);
                if (Sql.one(ctx.connection(), "SELECT finding_id FROM finding WHERE pack = ? AND rule_id = ? AND subject_type = ?"
                        + " AND subject_id = ?", pack.name(), h.rule().id(), subjectType, h.subject()).isPresent()) {
                    already++;
                    continue;
                }
                if (Sql.one(ctx.connection(), "SELECT 1 FROM customer WHERE customer_id = ?", h.customerId()).isEmpty()) {
                    throw Rejection.notFound("customerId", "rule \"" + h.rule().id() + "\" flagged " + h.subject()
                            + " of customer \"" + h.customerId() + "\", which is not in the inventory; import its usage"
                            + " with warden usage import, which registers it");
                }
                String id = Check.newId("fnd");
                ctx.emit(new Event.FindingRecorded(id, pack.name(), pack.version(), h.rule().id(), h.rule().hash(),
                        h.rule().severity().name().toLowerCase(java.util.Locale.ROOT), h.rule().clause(), subjectType,
                        h.subject(), h.customerId(), h.windowStart(), h.windowEnd(), h.values()));
                recorded.add(id);
                byCustomer.computeIfAbsent(h.customerId(), k -> new ArrayList<>()).add(id);
                rulesByCustomer.computeIfAbsent(h.customerId(), k -> new TreeSet<>()).add(h.rule().id());
            }
            List<String> opened = new ArrayList<>();
            int attached = 0;
            if (action == CaseAction.OPEN_OR_ATTACH) {
                for (Map.Entry<String, List<String>> e : byCustomer.entrySet()) {
                    String caseId = Sql.one(ctx.connection(), "SELECT case_id FROM review_case WHERE customer_id = ?"
                            + " AND status <> 'closed' ORDER BY event_idx DESC LIMIT 1", e.getKey()).orElse(null);
                    if (caseId == null) {
                        caseId = Check.newId("case");
                        ctx.emit(new Event.CaseOpened(caseId, e.getKey(), "Findings of " + pack.name() + ": "
                                + String.join(", ", rulesByCustomer.get(e.getKey())), List.of()));
                        opened.add(caseId);
                    }
                    for (String finding : e.getValue()) {
                        ctx.emit(new Event.FindingAttached(finding, caseId));
                        attached++;
                    }
                }
            }
            return new ScanResult(hits.size(), recorded, already, opened, attached);
        });
    }
}
