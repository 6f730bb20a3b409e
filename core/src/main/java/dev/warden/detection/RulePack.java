package dev.warden.detection;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A versioned set of detection rules, loaded from YAML by {@link RulePackLoader}. Rules flag
 * patterns in usage for people to review; they never decide anything.
 *
 * @param name    the pack's name, such as {@code surveillance-indicators}
 * @param version the pack's version, as its authors number it
 * @param source  where it was loaded from, for messages
 */
public record RulePack(String name, String version, String description, List<Rule> rules, String source) {
    public RulePack {
        rules = List.copyOf(rules);
    }

    /** What a rule's measures and findings are about: one subscription, or one customer. */
    public enum Subject {
        SUBSCRIPTION("SubAccountId"), CUSTOMER("BillingAccountId");

        private final String column;

        Subject(String column) {
            this.column = column;
        }

        /** The FOCUS column that identifies a subject. */
        public String column() {
            return column;
        }
    }

    /** How a measure aggregates the rows its filters select. */
    public enum Aggregate {
        SUM, MAX, COUNT, DISTINCT
    }

    /** The FOCUS columns a measure may sum or take the maximum of. */
    public static final Set<String> QUANTITIES = Set.of("ConsumedQuantity", "PricingQuantity", "BilledCost",
            "EffectiveCost", "ListCost", "ContractedCost");
    /** The FOCUS columns a filter may test: structured, never raw SQL. */
    public static final Set<String> FILTER_COLUMNS = Set.of("ServiceName", "ServiceCategory", "ServiceSubcategory",
            "ConsumedUnit", "PricingUnit", "RegionId", "SkuId", "ChargeCategory");
    /** The FOCUS columns a measure may count distinct values of, or take the largest share per ({@code per}). */
    public static final Set<String> KEYS = Set.of("RegionId", "SubAccountId", "ServiceName");

    /**
     * An aggregate of usage over the rule's window, for each subject.
     *
     * @param of      the column summed or maximised ({@link #QUANTITIES}), counted distinct ({@link #KEYS}),
     *                or null for COUNT (rows)
     * @param where   filters: column → the values it may take (any of them)
     * @param per     if set, the measure is taken per value of this key and the largest is kept
     *                (such as the storage in the busiest region); null otherwise
     * @param line    where it is written, for messages
     */
    public record Measure(String name, Aggregate aggregate, String of, Map<String, List<String>> where, String per, int line) {
        public Measure {
            where = Map.copyOf(where);
        }
    }

    /** A measure's value to compare against: the same measure in an earlier window, or among peers. */
    public sealed interface Baseline {
        String name();

        /** The measure it is a baseline of. */
        String measure();

        int line();
    }

    /** The same measure over the window {@code shift} earlier; a ratio to it is growth. */
    public record Previous(String name, String measure, Duration shift, int line) implements Baseline {
    }

    /**
     * The subject's percentile (0 to 1, SQL PERCENT_RANK) of the measure among subjects whose
     * customers are of the same FOCUS BillingAccountType.
     */
    public record Peer(String name, String measure, int line) implements Baseline {
    }

    /** How much attention a finding asks for. */
    public enum Severity {
        LOW, MEDIUM, HIGH
    }

    /**
     * One detection rule.
     *
     * @param hash      SHA-256 (hex) of the rule's canonical JSON: which version of the rule flagged a finding
     * @param clause    the policy clause it supports
     * @param window    how far back from the evaluation instant its measures look
     * @param condition a CEL expression over the measures and baselines, true when the subject is flagged
     */
    public record Rule(String id, String title, Severity severity, String clause, Subject subject, Duration window,
            List<Measure> measures, List<Baseline> baselines, String condition, String hash, int line) {
        public Rule {
            measures = List.copyOf(measures);
            baselines = List.copyOf(baselines);
        }

        /** The names the condition can use, in order: measures, then baselines. */
        public List<String> variables() {
            List<String> names = new java.util.ArrayList<>();
            measures.forEach(m -> names.add(m.name()));
            baselines.forEach(b -> names.add(b.name()));
            return names;
        }
    }
}
