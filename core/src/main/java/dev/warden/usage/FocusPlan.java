package dev.warden.usage;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

import static dev.warden.usage.FocusSource.literal;
import static dev.warden.usage.UsageStore.quote;

/**
 * How one file's columns become the store's: which FOCUS column each file column is, which are
 * kept as allowlisted custom columns and which are dropped; the per-row rules, as SQL predicates
 * that one aggregate query counts over the whole file; and, once the counts are known, the SQL
 * expression that reads each stored column, with exactly the repairs the file needs (none for a
 * clean file, so a clean file is read at the reader's speed).
 *
 * <p>Predicates are written over the file's own columns, so the query that finds the first
 * offending row of a rejected file uses them unchanged.
 */
final class FocusPlan {
    /** How a FOCUS column is read from the file. */
    enum Read {
        /** Not in the file: null. */
        ABSENT,
        /** Text: CSV, or a VARCHAR Parquet column; the FOCUS text rules apply. */
        TEXT,
        /** A Parquet column of another scalar type where FOCUS has a string: read as its text (lenient). */
        CAST_TEXT,
        /** A Parquet number for a FOCUS decimal. */
        NUMBER,
        /** A Parquet timestamp without time zone, taken as UTC. */
        TIMESTAMP,
        /** A Parquet timestamp with time zone, converted to UTC. */
        TIMESTAMP_TZ,
        /** A Parquet date for a FOCUS date-time: midnight UTC (lenient). */
        DATE,
        /** A Parquet MAP or STRUCT for a FOCUS key-value column: serialized as JSON (lenient). */
        NESTED
    }

    /** A FOCUS column of the store and where it comes from. */
    record Mapped(Focus.Column focus, String source, Read read) {
        String raw() {
            return quote(source);
        }

        /** The value as text, for the text rules. */
        String text() {
            return read == Read.CAST_TEXT ? "CAST(" + raw() + " AS VARCHAR)" : raw();
        }

        boolean textual() {
            return read == Read.TEXT || read == Read.CAST_TEXT;
        }
    }

    /**
     * A per-row rule. {@code warning} is the kind under which lenient mode repairs and counts it,
     * or null if no mode can repair it; strict mode repairs nothing. {@code unrepairable}, if not
     * null, picks out the rule's rows that lenient mode cannot repair either: it is counted only
     * for a rule that matched some rows, so a clean file pays for the strict test alone.
     */
    record Rule(String column, String warning, String predicate, String explanation, String unrepairable) {
        Rule(String column, String warning, String predicate, String explanation) {
            this(column, warning, predicate, explanation, null);
        }
    }

    /** FOCUS 1.2 §Date/Time Format: UTC, {@code YYYY-MM-DDTHH:mm:ssZ}. */
    static final String DATETIME_FORMAT = "%Y-%m-%dT%H:%M:%SZ";
    /** What lenient mode reads as a date-time: a space for the T, no Z, fractions, an offset, a date alone. */
    static final String LENIENT_DATETIME = "[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\\.[0-9]{1,9})?)?)?"
            + " ?(Z|z|UTC|[+-][0-9]{2}(:?[0-9]{2})?)?";
    /** FOCUS 1.2 §Numeric Format: an integer, a decimal or {@code mEn}; a sign only for negatives. */
    static final String NUMBER = "-?[0-9]+(\\.[0-9]+)?([eE]-?[0-9]+)?";
    /** What lenient mode reads as a number: also a leading +, E+, a bare decimal point and spaces around. */
    static final String LENIENT_NUMBER = "\\s*[+-]?([0-9]+\\.?[0-9]*|\\.[0-9]+)([eE][+-]?[0-9]+)?\\s*";

    final FocusSource source;
    final FocusImport.Mode mode;
    /** Every FOCUS column, in the store's order. */
    final List<Mapped> focus = new ArrayList<>();
    /** Allowlisted custom columns present in the file. */
    final List<String> custom = new ArrayList<>();
    /** File columns that are not kept. */
    final List<FocusSource.Column> dropped = new ArrayList<>();
    /** Column-level warnings (one per column). */
    final Map<String, Long> columnWarnings = new TreeMap<>();
    final List<Rule> rules = new ArrayList<>();

    private FocusPlan(FocusSource source, FocusImport.Mode mode) {
        this.source = source;
        this.mode = mode;
    }

    boolean lenient() {
        return mode == FocusImport.Mode.LENIENT;
    }

    /**
     * Maps the file's columns. Rejects the file, naming the column, for a column whose name looks
     * like content, a missing mandatory column, a type that cannot hold the FOCUS type, and (in
     * strict mode) any deviation lenient mode would repair.
     */
    static FocusPlan of(FocusSource source, FocusImport.Options options) {
        FocusPlan plan = new FocusPlan(source, options.mode());
        Map<String, FocusSource.Column> byFocusName = new LinkedHashMap<>();
        for (FocusSource.Column c : source.columns) {
            ContentGuard.name(c.name()).ifPresent(why -> {
                throw plan.reject(null, c.name(), why);
            });
            Optional<Focus.Column> exact = Focus.column(c.name());
            Optional<Focus.Column> folded = Focus.COLUMNS.stream().filter(f -> f.name().equalsIgnoreCase(c.name())).findFirst();
            if (exact.isEmpty() && folded.isPresent() && plan.lenient()) {
                plan.columnWarning("column-name-case");
                exact = folded;
            }
            if (exact.isPresent()) {
                if (byFocusName.put(exact.get().name(), c) != null) {
                    throw plan.reject(null, c.name(), "is a second column for " + exact.get().name());
                }
            } else if (Focus.custom(c.name()) && options.allowedColumns().contains(c.name())) {
                plan.custom.add(c.name());
            } else if (!Focus.custom(c.name()) && !plan.lenient()) {
                throw plan.reject(null, c.name(), "is neither a FOCUS column"
                        + folded.map(f -> " (FOCUS spells it " + f.name() + ")").orElse("")
                        + " nor a custom column with the x_ prefix (FOCUS 1.2 §Column Naming and Ordering)");
            } else {
                plan.dropped.add(c);
                plan.columnWarning("dropped-column");
            }
        }
        List<String> missing = Focus.COLUMNS.stream()
                .filter(f -> f.level() == Focus.Level.MANDATORY && !byFocusName.containsKey(f.name()))
                .map(Focus.Column::name).toList();
        if (!missing.isEmpty()) {
            throw plan.reject(null, missing.get(0), "mandatory FOCUS column" + (missing.size() > 1 ? "s " : " ")
                    + String.join(", ", missing) + (missing.size() > 1 ? " are" : " is") + " missing (FOCUS 1.2 §Columns)");
        }
        for (Focus.Column f : Focus.COLUMNS) {
            FocusSource.Column c = byFocusName.get(f.name());
            plan.focus.add(c == null ? new Mapped(f, null, Read.ABSENT) : new Mapped(f, c.name(), plan.read(f, c)));
        }
        plan.focus.forEach(plan::addRules);
        plan.addConsumedQuantityRule();
        return plan;
    }

    private void columnWarning(String kind) {
        columnWarnings.merge(kind, 1L, Long::sum);
    }

    /** How a file column of DuckDB type {@code c.type()} can be read as FOCUS column {@code f}. */
    private Read read(Focus.Column f, FocusSource.Column c) {
        String t = c.type().toUpperCase(Locale.ROOT);
        boolean text = t.equals("VARCHAR") || t.equals("JSON");
        boolean number = t.matches("(U?(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT))|FLOAT|DOUBLE|DECIMAL.*");
        boolean nested = t.startsWith("MAP(") || t.startsWith("STRUCT(");
        Read read = switch (f.type()) {
            case STRING -> text ? Read.TEXT : nested || t.endsWith("[]") ? null : Read.CAST_TEXT;
            case DECIMAL -> text ? Read.TEXT : number ? Read.NUMBER : null;
            case DATETIME -> text ? Read.TEXT : t.equals("TIMESTAMP WITH TIME ZONE") ? Read.TIMESTAMP_TZ
                    : t.startsWith("TIMESTAMP") ? Read.TIMESTAMP : t.equals("DATE") ? Read.DATE : null;
            case JSON -> text ? Read.TEXT : nested ? Read.NESTED : null;
        };
        if (read == null) {
            throw reject(null, c.name(), "is " + c.type() + ", which cannot hold a FOCUS " + f.type().name().toLowerCase(Locale.ROOT)
                    + " (FOCUS 1.2 §" + f.name() + ")");
        }
        if (read == Read.CAST_TEXT || read == Read.DATE || read == Read.NESTED) {
            if (!lenient()) {
                throw reject(null, c.name(), "is " + c.type() + ", not the FOCUS " + f.type().name().toLowerCase(Locale.ROOT)
                        + " (FOCUS 1.2 §" + f.name() + ")");
            }
            columnWarning("column-type");
        }
        return read;
    }

    /** SQL: the text value is there, neither an empty string nor the text NULL. */
    private static String present(String t) {
        return "(" + t + " <> '' AND NOT " + nullText(t) + ")";
    }

    /**
     * SQL: the text NULL, as exports write it (three spellings: an IN list reads dictionary-encoded
     * Parquet without lower-casing every value).
     */
    static String nullText(String t) {
        return t + " IN ('NULL', 'null', 'Null')";
    }

    private void addRules(Mapped m) {
        Focus.Column f = m.focus();
        if (m.read() == Read.ABSENT) {
            return;
        }
        String name = f.name();
        if (!m.textual()) {
            if (!f.nullable()) {
                rules.add(new Rule(name, null, m.raw() + " IS NULL", "is null, which FOCUS 1.2 §" + name + " does not allow"));
            }
            return;
        }
        String t = m.text();
        rules.add(new Rule(name, "empty-string", t + " = ''", "is an empty string; a missing value is null"
                + " (FOCUS 1.2 §Attributes, Null Handling)"));
        rules.add(new Rule(name, "null-string", nullText(t), "is the text NULL; a missing value is null,"
                + " not a placeholder (FOCUS 1.2 §Attributes, Null Handling)"));
        if (!f.nullable()) {
            rules.add(new Rule(name, null, "(" + t + " IS NULL OR NOT " + present(t) + ")",
                    "is missing, which FOCUS 1.2 §" + name + " does not allow"));
        }
        switch (f.type()) {
            case DATETIME -> formatRule(name, t, "(length(" + t + ") = 20 AND try_strptime(" + t + ", "
                            + literal(DATETIME_FORMAT) + ") IS NOT NULL)",
                    "(regexp_full_match(" + t + ", " + literal(LENIENT_DATETIME) + ") AND try_cast(" + t
                            + " AS TIMESTAMPTZ) IS NOT NULL)",
                    "datetime-format", "is not a date-time in UTC YYYY-MM-DDTHH:mm:ssZ (FOCUS 1.2 §Attributes, Date/Time Format)");
            case DECIMAL -> formatRule(name, t, "regexp_full_match(" + t + ", " + literal(NUMBER) + ")",
                    "(regexp_full_match(" + t + ", " + literal(LENIENT_NUMBER) + ") AND isfinite(try_cast(" + t
                            + " AS DOUBLE)))",
                    "number-format", "is not a number as FOCUS writes them: digits, a decimal point, mEn"
                            + " (FOCUS 1.2 §Attributes, Numeric Format)");
            case JSON -> formatRule(name, t, jsonObject(t), "(" + jsonObject(t) + " OR " + jsonString(t) + ")",
                    "json-string", "is not a JSON object of strings, numbers, booleans and nulls"
                            + " (FOCUS 1.2 §Attributes, Key-Value Format)");
            case STRING -> {
                // enumerations are checked on their distinct values (FocusImport), not row by row
            }
        }
    }

    /**
     * The rule of a formatted type: a value the strict form does not read is a deviation; among
     * those, one the lenient form does not read either can't be repaired.
     */
    private void formatRule(String name, String t, String strict, String lenient, String kind, String explanation) {
        rules.add(new Rule(name, kind, "(NOT " + strict + " AND " + present(t) + ")", explanation, "NOT " + lenient));
    }

    /** SQL: {@code t} is a JSON object whose values are all scalars (FOCUS 1.2 §Key-Value Format). */
    private static String jsonObject(String t) {
        return "(CASE WHEN json_valid(" + t + ") THEN json_type(" + t + ") = 'OBJECT' AND NOT list_has_any(json_type(" + t
                + ", '$.*'), ['OBJECT', 'ARRAY']) ELSE false END)";
    }

    /** SQL: {@code t} is a JSON string whose text is such an object (an export that encoded Tags twice). */
    private static String jsonString(String t) {
        String inner = "json_extract_string(" + t + ", '$')";
        return "(CASE WHEN json_valid(" + t + ") AND json_type(" + t + ") = 'VARCHAR' THEN " + jsonObject(inner)
                + " ELSE false END)";
    }

    /** FOCUS 1.2 §ConsumedQuantity: null unless ChargeCategory is Usage. */
    private void addConsumedQuantityRule() {
        Mapped quantity = mapped("ConsumedQuantity");
        if (quantity.read() == Read.ABSENT) {
            return;
        }
        String has = quantity.textual() ? "(" + quantity.text() + " IS NOT NULL AND " + present(quantity.text()) + ")"
                : quantity.raw() + " IS NOT NULL";
        rules.add(new Rule("ConsumedQuantity", "consumed-quantity-not-usage", "(" + has + " AND " + notUsage() + ")",
                "is set on a row whose ChargeCategory is not Usage (FOCUS 1.2 §ConsumedQuantity)"));
    }

    /** SQL: the row's ChargeCategory, in any case, is not Usage. */
    private String notUsage() {
        return "coalesce(lower(" + mapped("ChargeCategory").text() + "), '') <> 'usage'";
    }

    Mapped mapped(String focusName) {
        return focus.stream().filter(m -> m.focus().name().equals(focusName)).findFirst().orElseThrow();
    }

    /** The enumerated FOCUS columns the file has, as text. */
    List<Mapped> enumerations() {
        return focus.stream().filter(m -> m.focus().enumerated() && m.textual()).toList();
    }

    /**
     * The SQL expression for each stored column (FOCUS columns in order, then the custom ones),
     * with only the repairs that {@code counts} (per rule, from the profile) and
     * {@code enumFixes} (per column: value as written → FOCUS spelling) call for. Strict mode got
     * here only with nothing to repair.
     */
    List<String> select(long[] counts, Map<String, Map<String, String>> enumFixes) {
        Map<String, Long> byColumnKind = new LinkedHashMap<>();
        for (int i = 0; i < rules.size(); i++) {
            Rule r = rules.get(i);
            if (r.warning() != null) {
                byColumnKind.merge(r.column() + "|" + r.warning(), counts[i], Long::sum);
            }
        }
        boolean consumedFix = byColumnKind.getOrDefault("ConsumedQuantity|consumed-quantity-not-usage", 0L) > 0;
        List<String> out = new ArrayList<>();
        for (Mapped m : focus) {
            String e = expression(m, k -> byColumnKind.getOrDefault(m.focus().name() + "|" + k, 0L) > 0,
                    enumFixes.getOrDefault(m.focus().name(), Map.of()));
            boolean consumed = m.focus().name().equals("ConsumedQuantity") || m.focus().name().equals("ConsumedUnit");
            // FOCUS 1.2 §ConsumedUnit: null when ConsumedQuantity is, so a repair clears both.
            out.add(consumedFix && consumed && m.read() != Read.ABSENT ? "CASE WHEN " + notUsage() + " THEN NULL ELSE " + e
                    + " END" : e);
        }
        custom.forEach(c -> out.add("CAST(" + quote(c) + " AS VARCHAR)"));
        return out;
    }

    private String expression(Mapped m, java.util.function.Predicate<String> repaired, Map<String, String> enumFix) {
        Focus.Column f = m.focus();
        return switch (m.read()) {
            case ABSENT -> "CAST(NULL AS " + f.type().sql() + ")";
            case NUMBER -> "CAST(" + m.raw() + " AS DOUBLE)";
            case TIMESTAMP, DATE -> "CAST(" + m.raw() + " AS TIMESTAMP)";
            case TIMESTAMP_TZ -> "timezone('UTC', " + m.raw() + ")";
            case NESTED -> "CAST(to_json(" + m.raw() + ") AS VARCHAR)";
            case TEXT, CAST_TEXT -> text(m, repaired, enumFix);
        };
    }

    private String text(Mapped m, java.util.function.Predicate<String> repaired, Map<String, String> enumFix) {
        String v = m.text();
        List<String> blanks = new ArrayList<>();
        if (repaired.test("empty-string")) {
            blanks.add(v + " = ''");
        }
        if (repaired.test("null-string")) {
            blanks.add(nullText(v));
        }
        if (!blanks.isEmpty()) {
            v = "CASE WHEN " + String.join(" OR ", blanks) + " THEN NULL ELSE " + v + " END";
        }
        if (!enumFix.isEmpty()) {
            v = "CASE " + v + enumFix.entrySet().stream().map(x -> " WHEN " + literal(x.getKey()) + " THEN " + literal(x.getValue()))
                    .collect(Collectors.joining()) + " ELSE " + v + " END";
        }
        return switch (m.focus().type()) {
            case STRING -> v;
            case DECIMAL -> "CAST(" + v + " AS DOUBLE)";
            case DATETIME -> repaired.test("datetime-format") ? "timezone('UTC', CAST(" + v + " AS TIMESTAMPTZ))"
                    : "CAST(" + v + " AS TIMESTAMP)";
            case JSON -> repaired.test("json-string") ? "CASE WHEN " + jsonString(v) + " THEN json_extract_string(" + v
                    + ", '$') ELSE " + v + " END" : v;
        };
    }

    FocusImport.Rejected reject(String where, String column, String what) {
        return new FocusImport.Rejected(source.file.toString(), where, column, what);
    }

    /** The enumerated values FOCUS allows for {@code column}, in its spelling, by lower case. */
    static Map<String, String> spellings(Focus.Column column) {
        return column.values().stream().collect(Collectors.toMap(v -> v.toLowerCase(Locale.ROOT), v -> v));
    }
}
