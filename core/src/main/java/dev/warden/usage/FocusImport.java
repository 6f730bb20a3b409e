package dev.warden.usage;

import dev.warden.event.Check;
import dev.warden.event.Rejection;
import dev.warden.inventory.Inventory;
import dev.warden.principal.Principal;
import org.duckdb.DuckDBConnection;
import org.duckdb.DuckDBPreparedStatement;
import org.duckdb.QueryProgress;

import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.Files;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.warden.usage.FocusSource.literal;
import static dev.warden.usage.UsageStore.quote;

/**
 * Imports FOCUS 1.x usage files (CSV, gzip CSV or Parquet, told apart by their first bytes)
 * into the {@link UsageStore}, and registers in the {@link Inventory} the customers,
 * subscriptions, services and regions they name.
 *
 * <p><b>Reading and checking.</b> DuckDB reads the file ({@code read_csv}, {@code read_parquet});
 * every check is set-based SQL, never a Java loop over rows: one aggregate query counts each
 * per-row rule's violations over the whole file ({@link FocusPlan}); one {@code GROUPING SETS}
 * query gives the distinct values of the enumerations and of the inventory columns; only for a
 * file being rejected, one more query finds the first offending row. Then a Parquet file that
 * needs no repair, drops no column and has the store's types is kept as it is and read in place
 * through the view (see {@link UsageStore}); any other file is read once more by one
 * {@code INSERT INTO focus_rows SELECT ...} with exactly the repairs it needs.
 *
 * <p><b>What is checked</b> (FOCUS 1.2): the mandatory columns; the types (a Parquet column must
 * be able to hold its FOCUS type); the date-time format (§Date/Time Format: UTC
 * {@code YYYY-MM-DDTHH:mm:ssZ}); the numeric format (§Numeric Format); the key-value format
 * (§Key-Value Format: a JSON object of scalars); every enumeration in {@link Focus} (ChargeCategory,
 * ChargeClass, ChargeFrequency, ServiceCategory, ServiceSubcategory and its parent category,
 * PricingCategory, CommitmentDiscountStatus, CommitmentDiscountCategory,
 * CapacityReservationStatus); no empty string or {@code NULL} text for a missing value
 * (§Null Handling); no null in a column that does not allow it; ConsumedQuantity null unless
 * ChargeCategory is Usage. The other conditional rules of the spec (the pricing null rule, cost
 * identities) are not checked.
 *
 * <p><b>Modes.</b> {@link Mode#STRICT} rejects a file at the first deviation.
 * {@link Mode#LENIENT} (the default) repairs what real exports do and counts each repair under a
 * warning kind: {@code datetime-format} (a space for the T, no Z, fractions, an offset),
 * {@code null-string} (the text NULL), {@code empty-string}, {@code enum-case} (wrong case,
 * normalised to FOCUS's spelling), {@code number-format} (a leading +, E+, spaces),
 * {@code json-string} (Tags as a JSON string holding the object), {@code column-type} (a Parquet
 * column of another type, converted), {@code column-name-case} (a FOCUS column name in another
 * case), {@code consumed-quantity-not-usage} (cleared), {@code dropped-column} and
 * {@code billing-country}. Kinds ending in {@code -column}, {@code column-type} and
 * {@code column-name-case} count columns; the others count values. What cannot be repaired (an
 * unparseable number or date, an unknown ServiceCategory, a missing mandatory column, a null
 * where none is allowed) rejects the file in both modes.
 *
 * <p><b>All or nothing.</b> A rejected file leaves nothing behind: the rows, the record of the
 * import and the inventory are written in one DuckDB transaction, committed only after the
 * inventory command succeeded. {@link Rejected} names the file, the row ("line N" of a CSV file,
 * counting the header; "row N" of a Parquet file) and the column.
 *
 * <p><b>Privacy.</b> Only FOCUS columns and the allowlisted {@code x_} columns are kept; others
 * are dropped and listed in the result. A column that looks like content rejects the file, even
 * if allowlisted: see {@link ContentGuard} for what is checked where.
 *
 * <p><b>Inventory.</b> Customers come from BillingAccountId and BillingAccountName (the type from
 * BillingAccountType when it is Business, Government or Individual, else business; the country
 * from an allowlisted {@code x_BillingCountry}, else {@code ZZ}); subscriptions from SubAccountId
 * and SubAccountName; services from ServiceName (as an id: {@link #serviceId}) and
 * ServiceCategory, with the operation classes of {@link #operations}; regions from RegionId and
 * RegionName. Where a name changes within a file, the one on the latest charge period wins.
 * Registration skips what exists ({@link Inventory#registerAll}).
 *
 * <p><b>Idempotent.</b> A file whose bytes (SHA-256) were imported before is not imported again
 * ({@link Result#alreadyImported()}).
 *
 * <p>Not thread-safe: one import at a time on a store.
 */
public final class FocusImport {
    /** How deviations from FOCUS are treated. */
    public enum Mode { STRICT, LENIENT }

    /**
     * @param allowedColumns the custom ({@code x_}) columns to keep; every other non-FOCUS column is dropped
     */
    public record Options(Mode mode, Set<String> allowedColumns) {
        public Options {
            allowedColumns = Set.copyOf(allowedColumns);
            for (String c : allowedColumns) {
                if (!c.matches("x_[A-Za-z0-9_]{1,60}")) {
                    throw new IllegalArgumentException("\"" + c + "\" is not a custom column name (x_ then letters, digits or _)");
                }
            }
        }

        public static Options lenient(String... allowedColumns) {
            return new Options(Mode.LENIENT, Set.of(allowedColumns));
        }

        public static Options strict(String... allowedColumns) {
            return new Options(Mode.STRICT, Set.of(allowedColumns));
        }
    }

    /** Told how far each step of an import is, from another thread, a few times a second. */
    @FunctionalInterface
    public interface Progress {
        Progress NONE = (file, step, percent) -> {
        };

        /**
         * {@code step} is "checking dropped columns", "checking", "checking repairs", "checking values",
         * "importing" or "writing";
         * {@code percent} runs 0 to 100, and each step ends with 100.
         */
        void update(String file, String step, double percent);
    }

    /**
     * What an import did.
     *
     * @param rows          rows stored (for an earlier import: the rows it stored)
     * @param customers     distinct customers (billing accounts) in the file; likewise subscriptions, services, regions
     * @param periodStart   the earliest ChargePeriodStart, null if no rows
     * @param periodEnd     the latest ChargePeriodEnd (exclusive), null if no rows
     * @param warnings      repairs and drops, by kind (see the class comment)
     * @param dropped       the file's columns that were not kept
     * @param registered    what the inventory registered
     */
    public record Result(String file, String importId, boolean alreadyImported, long rows, int customers,
                         int subscriptions, int services, int regions, Instant periodStart, Instant periodEnd,
                         Map<String, Long> warnings, List<String> dropped, Inventory.Registered registered) {
        public Result {
            warnings = java.util.Collections.unmodifiableMap(new TreeMap<>(warnings));
            dropped = List.copyOf(dropped);
        }
    }

    /** A file refused; nothing of it was kept. */
    public static final class Rejected extends UsageException {
        private final String file;
        private final String where;
        private final String column;

        public Rejected(String file, String where, String column, String what) {
            super(file + (where == null ? "" : " " + where) + (column == null ? "" : ", column " + column) + ": " + what);
            this.file = file;
            this.where = where;
            this.column = column;
        }

        public String file() {
            return file;
        }

        /** "line N" (CSV, counting the header) or "row N" (Parquet), or null if the whole file or column is at fault. */
        public String where() {
            return where;
        }

        /** The column at fault (its FOCUS name, or the file's name for any other column), or null. */
        public String column() {
            return column;
        }
    }

    private static final Map<String, Set<String>> OPERATIONS = Map.of(
            "Storage", Set.of("provision", "write", "read", "export", "delete"),
            "AI and Machine Learning", Set.of("invoke"),
            "Compute", Set.of("provision", "invoke", "admin"));

    private final UsageStore store;
    private final Inventory inventory;
    private final Principal by;
    private final Options options;

    public FocusImport(UsageStore store, Inventory inventory, Principal by, Options options) {
        this.store = store;
        this.inventory = inventory;
        this.by = by;
        this.options = options;
    }

    /**
     * The operation classes a service of a FOCUS ServiceCategory supports, which restrictions can
     * name: Storage: provision, write, read, export, delete; AI and Machine Learning: invoke;
     * Compute: provision, invoke, admin; any other: invoke, admin.
     */
    public static Set<String> operations(String serviceCategory) {
        return OPERATIONS.getOrDefault(serviceCategory, Set.of("invoke", "admin"));
    }

    /**
     * The inventory id of a FOCUS ServiceName: lower case, each run of characters other than
     * {@code a-z 0-9 . _ : -} replaced by {@code -}, at most 128 ("Amazon Simple Storage Service"
     * is {@code amazon-simple-storage-service}); empty if nothing is left.
     */
    public static String serviceId(String serviceName) {
        String s = serviceName.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._:-]+", "-")
                .replaceAll("^[^a-z0-9]+", "").replaceAll("-+$", "");
        return s.length() > 128 ? s.substring(0, 128) : s;
    }

    public Result importFile(Path file) {
        return importFile(file, Progress.NONE);
    }

    /**
     * Imports one file, all or nothing.
     *
     * @throws Rejected naming the row and column at fault; nothing was kept
     * @throws UsageException if the store failed
     * @throws Rejection if the inventory refused; nothing was kept
     */
    public Result importFile(Path file, Progress progress) {
        ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "focus-import-progress");
            t.setDaemon(true);
            return t;
        });
        try {
            return new Run(FocusSource.open(store.connection(), file), progress, poller).run();
        } catch (SQLException e) {
            throw new UsageException("usage store: " + file + ": " + e.getMessage().lines().findFirst().orElse(""), e);
        } finally {
            poller.shutdownNow();
        }
    }

    /** One file's import. */
    private final class Run {
        private final DuckDBConnection c = store.connection();
        private final FocusSource source;
        private final Progress progress;
        private final ScheduledExecutorService poller;
        private final Map<String, Long> warnings = new TreeMap<>();
        /** Violations found so far: where to look for the first row, and what to say. */
        private final List<Violation> violations = new ArrayList<>();

        Run(FocusSource source, Progress progress, ScheduledExecutorService poller) {
            this.source = source;
            this.progress = progress;
            this.poller = poller;
        }

        Result run() throws SQLException {
            try (Statement s = c.createStatement()) {
                // TIMESTAMPTZ casts read a date-time without offset as UTC (FOCUS 1.2 §Date/Time Format).
                s.execute("SET TimeZone = 'UTC'");
                s.execute("SET enable_progress_bar = true");
                s.execute("SET enable_progress_bar_print = false");
            }
            Result earlier = earlier();
            if (earlier != null) {
                return earlier;
            }
            FocusPlan plan = FocusPlan.of(source, options);
            plan.columnWarnings.forEach((k, v) -> warnings.merge(k, v, Long::sum));
            checkDroppedValues(plan);
            long[] counts = profile(plan);
            Map<String, Map<String, String>> enumFixes = new HashMap<>();
            Inventoried inv = values(plan, enumFixes);
            rejectIfViolated();
            String importId = "import-" + source.sha256.substring(0, 16);
            return store(plan, plan.select(counts, enumFixes), importId, inv);
        }

        /** The result of an earlier import of the same bytes, if any. */
        private Result earlier() throws SQLException {
            try (PreparedStatement ps = c.prepareStatement("SELECT import_id, row_count, strftime(period_start, '"
                    + FocusPlan.DATETIME_FORMAT + "'), strftime(period_end, '" + FocusPlan.DATETIME_FORMAT + "') FROM "
                    + UsageStore.IMPORTS + " WHERE sha256 = ?")) {
                ps.setString(1, source.sha256);
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next()) {
                        return null;
                    }
                    return new Result(source.label, rs.getString(1), true, rs.getLong(2), 0, 0, 0, 0, instant(rs.getString(3)),
                            instant(rs.getString(4)), Map.of(), List.of(), new Inventory.Registered(0, 0, 0, 0, 0, List.of()));
                }
            }
        }

        /** Content-like values in dropped text columns, over the first rows (see ContentGuard). */
        private void checkDroppedValues(FocusPlan plan) throws SQLException {
            List<String> cols = plan.dropped.stream().filter(d -> d.type().equalsIgnoreCase("VARCHAR"))
                    .map(FocusSource.Column::name).toList();
            if (cols.isEmpty()) {
                return;
            }
            List<String> aggs = new ArrayList<>();
            cols.forEach(col -> aggs.addAll(ContentGuard.aggregates(quote(col))));
            String sql = "SELECT " + String.join(", ", aggs) + " FROM (SELECT " + cols.stream().map(UsageStore::quote)
                    .collect(Collectors.joining(", ")) + " FROM " + source.scan() + " LIMIT " + ContentGuard.SAMPLE_ROWS + ")";
            double[] a = aggregateRow(sql, "checking dropped columns");
            judgeContent(cols, a, 0);
        }

        private void judgeContent(List<String> cols, double[] a, int offset) {
            int per = ContentGuard.aggregates("v").size();
            for (int i = 0; i < cols.size(); i++) {
                double[] mine = java.util.Arrays.copyOfRange(a, offset + i * per, offset + (i + 1) * per);
                String col = cols.get(i);
                ContentGuard.values(mine).ifPresent(why -> {
                    throw new Rejected(source.file.toString(), null, col, why);
                });
            }
        }

        /** Counts every rule's violations, and checks the kept custom columns' values, in one pass. */
        private long[] profile(FocusPlan plan) throws SQLException {
            List<String> aggs = new ArrayList<>();
            plan.rules.forEach(r -> aggs.add("count_if(" + r.predicate() + ")"));
            plan.custom.forEach(col -> aggs.addAll(ContentGuard.aggregates("CAST(" + quote(col) + " AS VARCHAR)")));
            aggs.add("count(*)");
            double[] a = aggregateRow("SELECT " + String.join(", ", aggs) + " FROM " + source.scan(), "checking");
            judgeContent(plan.custom, a, plan.rules.size());
            long[] counts = new long[plan.rules.size()];
            List<Integer> refine = new ArrayList<>();
            for (int i = 0; i < counts.length; i++) {
                counts[i] = (long) a[i];
                FocusPlan.Rule r = plan.rules.get(i);
                if (counts[i] > 0 && r.warning() != null && plan.lenient() && r.unrepairable() != null) {
                    refine.add(i);
                }
            }
            long[] unrepairable = new long[counts.length];
            if (!refine.isEmpty()) {
                double[] u = aggregateRow("SELECT " + refine.stream().map(i -> "count_if(" + repairless(plan.rules.get(i)) + ")")
                        .collect(Collectors.joining(", ")) + " FROM " + source.scan(), "checking repairs");
                for (int k = 0; k < refine.size(); k++) {
                    unrepairable[refine.get(k)] = (long) u[k];
                }
            }
            for (int i = 0; i < counts.length; i++) {
                FocusPlan.Rule r = plan.rules.get(i);
                if (counts[i] == 0) {
                    continue;
                }
                if (r.warning() == null || !plan.lenient()) {
                    violations.add(new Violation(r.column(), r.predicate(), r.explanation(), counts[i]));
                } else if (unrepairable[i] > 0) {
                    violations.add(new Violation(r.column(), repairless(r), r.explanation(), unrepairable[i]));
                } else {
                    warnings.merge(r.warning(), counts[i], Long::sum);
                }
            }
            return counts;
        }

        private static String repairless(FocusPlan.Rule r) {
            return "(" + r.predicate() + " AND " + r.unrepairable() + ")";
        }

        /**
         * One pass over the distinct values of the enumerations and the inventory columns: checks
         * the enumerations (collecting lenient mode's case repairs in {@code enumFixes}) and
         * gathers the inventory.
         */
        private Inventoried values(FocusPlan plan, Map<String, Map<String, String>> enumFixes) throws SQLException {
            List<FocusPlan.Mapped> enums = plan.enumerations();
            Map<String, String> inner = new LinkedHashMap<>();
            for (int i = 0; i < enums.size(); i++) {
                inner.put("e" + i, enums.get(i).text());
            }
            for (String[] alias : INVENTORY_COLUMNS) {
                FocusPlan.Mapped m = plan.mapped(alias[1]);
                inner.put(alias[0], m.read() == FocusPlan.Read.ABSENT ? "CAST(NULL AS VARCHAR)" : m.text());
            }
            inner.put("country", plan.custom.contains(COUNTRY) ? "CAST(" + quote(COUNTRY) + " AS VARCHAR)" : "CAST(NULL AS VARCHAR)");
            inner.put("latest", "CAST(" + plan.mapped("ChargePeriodStart").raw() + " AS VARCHAR)");
            List<List<String>> sets = new ArrayList<>();
            for (int i = 0; i < enums.size(); i++) {
                sets.add(List.of("e" + i));
            }
            sets.addAll(INVENTORY_SETS);
            List<String> keys = new ArrayList<>(inner.keySet());
            keys.remove("latest");
            String sql = "SELECT GROUPING(" + String.join(", ", keys) + "), " + String.join(", ", keys)
                    + ", count(*), max(latest) FROM (SELECT " + inner.entrySet().stream().map(e -> e.getValue() + " AS " + e.getKey())
                    .collect(Collectors.joining(", ")) + " FROM " + source.scan() + ") GROUP BY GROUPING SETS ("
                    + sets.stream().map(s -> "(" + String.join(", ", s) + ")").collect(Collectors.joining(", ")) + ")";
            Map<Long, Integer> setOfMask = new HashMap<>();
            for (int s = 0; s < sets.size(); s++) {
                long mask = 0;
                for (int k = 0; k < keys.size(); k++) {
                    if (!sets.get(s).contains(keys.get(k))) {
                        mask |= 1L << (keys.size() - 1 - k);
                    }
                }
                setOfMask.put(mask, s);
            }
            List<List<Group>> groups = new ArrayList<>();
            sets.forEach(s -> groups.add(new ArrayList<>()));
            timed("checking values", sql, ps -> {
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        int set = setOfMask.get(rs.getLong(1));
                        Map<String, String> v = new HashMap<>();
                        for (String k : sets.get(set)) {
                            v.put(k, blankToNull(rs.getString(keys.indexOf(k) + 2)));
                        }
                        groups.get(set).add(new Group(v, rs.getLong(keys.size() + 2), rs.getString(keys.size() + 3)));
                    }
                }
                return null;
            });
            for (int i = 0; i < enums.size(); i++) {
                checkEnumeration(plan, enums.get(i), groups.get(i), enumFixes);
            }
            return inventory(plan, groups.subList(enums.size(), groups.size()));
        }

        private void checkEnumeration(FocusPlan plan, FocusPlan.Mapped m, List<Group> groups,
                                      Map<String, Map<String, String>> enumFixes) {
            Map<String, String> spellings = FocusPlan.spellings(m.focus());
            for (Group g : groups) {
                String v = g.values().values().iterator().next();
                if (v == null || m.focus().values().contains(v)) {
                    continue;
                }
                String fixed = spellings.get(v.toLowerCase(Locale.ROOT));
                if (fixed != null && plan.lenient()) {
                    enumFixes.computeIfAbsent(m.focus().name(), k -> new TreeMap<>()).put(v, fixed);
                    warnings.merge("enum-case", g.rows(), Long::sum);
                } else {
                    violations.add(new Violation(m.focus().name(), m.text() + " = " + literal(v), "\"" + clip(v) + "\" is not a "
                            + m.focus().name() + (fixed != null ? " as FOCUS spells it (" + fixed + ")" : "; FOCUS 1.2 §"
                            + m.focus().name() + " allows " + String.join(", ", new TreeSet<>(m.focus().values()))), g.rows()));
                }
            }
        }

        /** Customers, subscriptions, services and regions from the grouped inventory columns. */
        private Inventoried inventory(FocusPlan plan, List<List<Group>> sets) {
            Map<String, Group> customers = latest(sets.get(0), "acct");
            Map<String, Group> subscriptions = latest(sets.get(1), "sub");
            Map<String, Group> regions = latest(sets.get(3), "region");
            List<Inventory.Customer> cs = new ArrayList<>();
            customers.forEach((id, g) -> {
                if (validId(plan, "BillingAccountId", id, 128)) {
                    cs.add(new Inventory.Customer(id, name(g.get("acct_name"), id), customerType(g.get("acct_type")),
                            country(g.get("country"))));
                }
            });
            List<Inventory.Subscription> ss = new ArrayList<>();
            subscriptions.forEach((id, g) -> {
                if (validId(plan, "SubAccountId", id, 128) && g.get("acct") != null) {
                    ss.add(new Inventory.Subscription(id, g.get("acct"), name(g.get("sub_name"), id)));
                }
            });
            List<Inventory.Region> rs = new ArrayList<>();
            regions.forEach((id, g) -> {
                if (validId(plan, "RegionId", id, 64)) {
                    rs.add(new Inventory.Region(id, name(g.get("region_name"), id)));
                }
            });
            return new Inventoried(cs, ss, services(plan, sets.get(2)), rs);
        }

        /** Services by id; a service's category is the one most of its rows name. */
        private List<Inventory.Service> services(FocusPlan plan, List<Group> groups) {
            Map<String, Map<String, Long>> categories = new TreeMap<>();
            FocusPlan.Mapped category = plan.mapped("ServiceCategory");
            FocusPlan.Mapped sub = plan.mapped("ServiceSubcategory");
            for (Group g : groups) {
                String name = g.get("svc");
                String cat = spelled(category.focus(), g.get("cat"));
                String subcat = spelled(sub.focus(), g.get("subcat"));
                if (name == null || cat == null) {
                    continue; // null or not FOCUS: already a violation
                }
                if (subcat != null && Focus.SERVICE_SUBCATEGORIES.get(cat) != null
                        && !Focus.SERVICE_SUBCATEGORIES.get(cat).contains(subcat)) {
                    violations.add(new Violation(sub.source(), category.text() + " = " + literal(g.get("cat")) + " AND "
                            + sub.text() + " = " + literal(g.get("subcat")), "\"" + clip(subcat) + "\" is not a subcategory of "
                            + cat + " (FOCUS 1.2 §ServiceSubcategory)", g.rows()));
                }
                String id = serviceId(name);
                if (id.isEmpty()) {
                    violations.add(new Violation("ServiceName", plan.mapped("ServiceName").text() + " = " + literal(name),
                            "\"" + clip(name) + "\" has no letter or digit to name a service by", g.rows()));
                    continue;
                }
                categories.computeIfAbsent(id, k -> new HashMap<>()).merge(cat, g.rows(), Long::sum);
            }
            List<Inventory.Service> out = new ArrayList<>();
            categories.forEach((id, byCategory) -> {
                String cat = byCategory.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
                out.add(new Inventory.Service(id, cat, operations(cat)));
            });
            return out;
        }

        private boolean validId(FocusPlan plan, String column, String id, int max) {
            try {
                Check.id(column, id);
                if (id.length() <= max) {
                    return true;
                }
            } catch (Rejection e) {
                // reported below
            }
            violations.add(new Violation(column, plan.mapped(column).text() + " = " + literal(id), "\"" + clip(id)
                    + "\" cannot be a Warden id: 1-" + max + " characters of A-Z a-z 0-9 . _ : -, starting with a letter"
                    + " or digit", 0));
            return false;
        }

        private String country(String value) {
            if (value == null) {
                return "ZZ";
            }
            String c = value.strip().toUpperCase(Locale.ROOT);
            if (c.matches("[A-Z]{2}")) {
                return c;
            }
            warnings.merge("billing-country", 1L, Long::sum);
            return "ZZ";
        }

        private void rejectIfViolated() throws SQLException {
            if (violations.isEmpty()) {
                return;
            }
            Violation first = violations.get(0);
            String where = source.firstRow(c, first.predicate()).orElse(null);
            StringBuilder what = new StringBuilder(first.explanation());
            if (first.rows() > 1) {
                what.append(" (").append(first.rows()).append(" rows)");
            }
            List<Violation> more = violations.subList(1, Math.min(violations.size(), 4));
            if (!more.isEmpty()) {
                what.append("; also ").append(more.stream().map(v -> "column " + v.column() + ": " + v.explanation()
                        + (v.rows() > 0 ? " (" + v.rows() + (v.rows() == 1 ? " row)" : " rows)") : ""))
                        .collect(Collectors.joining("; ")));
                if (violations.size() > 4) {
                    what.append("; and ").append(violations.size() - 4).append(" more");
                }
            }
            throw new Rejected(source.file.toString(), where, first.column(), what.toString());
        }

        /** Stores the rows, the import and the inventory, all or nothing. */
        /**
         * Whether the file can be kept as it is: Parquet, nothing repaired (no warning), no column
         * dropped or added, every column exactly of the store's type, and a store with a data directory.
         */
        private boolean keepsInPlace(FocusPlan plan) {
            if (!store.keepsFiles() || source.format != FocusSource.Format.PARQUET || !warnings.isEmpty()
                    || !plan.dropped.isEmpty() || !plan.custom.isEmpty()) {
                return false;
            }
            for (FocusSource.Column col : source.columns) {
                Focus.Column f = Focus.column(col.name()).orElse(null);
                if (f == null || !f.type().sql().equalsIgnoreCase(col.type())) {
                    return false;
                }
            }
            return true;
        }

        private Result store(FocusPlan plan, List<String> select, String importId, Inventoried inv) throws SQLException {
            Path kept = null;
            List<String> columns = new ArrayList<>();
            Focus.COLUMNS.forEach(f -> columns.add(quote(f.name())));
            plan.custom.forEach(col -> columns.add(quote(col)));
            String insert = "INSERT INTO " + UsageStore.ROWS + " (" + String.join(", ", columns) + ", " + UsageStore.IMPORT_COLUMN
                    + ") SELECT " + String.join(", ", select) + ", " + literal(importId) + " FROM " + source.scan();
            c.setAutoCommit(false);
            try {
                try (Statement s = c.createStatement()) {
                    for (String col : plan.custom) {
                        s.execute("ALTER TABLE " + UsageStore.ROWS + " ADD COLUMN IF NOT EXISTS " + quote(col) + " VARCHAR");
                    }
                }
                boolean keep = keepsInPlace(plan);
                long rows;
                if (keep) {
                    // DESIGN.md: DuckDB reads Parquet in place. The file needs nothing changed, so it is kept
                    // as it is, under the data directory, and the view reads it; no rows are copied.
                    rows = timed("keeping", "SELECT count(*) FROM " + source.scan(), ps -> {
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            return rs.getLong(1);
                        }
                    });
                    Path target = store.keptFile(importId);
                    try {
                        Files.createDirectories(target.getParent());
                        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
                        Files.copy(source.file, tmp, StandardCopyOption.REPLACE_EXISTING);
                        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                    } catch (IOException e) {
                        throw new UsageException("couldn't keep " + source.file + " in the usage store: " + e.getMessage(), e);
                    }
                    kept = target;
                } else {
                    rows = timed("importing", insert, PreparedStatement::executeLargeUpdate);
                }
                String[] period = new String[2];
                // The period of what was stored: the kept file itself, or the rows inserted under this import.
                String stored = keep ? source.scan() : UsageStore.ROWS + " WHERE " + UsageStore.IMPORT_COLUMN + " = "
                        + UsageStore.literal(importId);
                try (PreparedStatement ps = c.prepareStatement("SELECT strftime(min(\"ChargePeriodStart\"), '"
                        + FocusPlan.DATETIME_FORMAT + "'), strftime(max(\"ChargePeriodEnd\"), '" + FocusPlan.DATETIME_FORMAT
                        + "') FROM " + stored)) {
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        period[0] = rs.getString(1);
                        period[1] = rs.getString(2);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + UsageStore.IMPORTS + " (import_id, file_name,"
                        + " sha256, row_count, period_start, period_end, mode, imported_at, kept_file) VALUES (?, ?, ?, ?,"
                        + " CAST(? AS TIMESTAMP), CAST(? AS TIMESTAMP), ?, timezone('UTC', now()), ?)")) {
                    ps.setString(1, importId);
                    ps.setString(2, source.label);
                    ps.setString(3, source.sha256);
                    ps.setLong(4, rows);
                    ps.setString(5, period[0]);
                    ps.setString(6, period[1]);
                    ps.setString(7, options.mode().name().toLowerCase(Locale.ROOT));
                    ps.setString(8, keep ? kept.getFileName().toString() : null);
                    ps.executeUpdate();
                }
                if (keep) {
                    store.refreshView();
                }
                Inventory.Registered registered = inventory.registerAll(by, inv.customers(), inv.subscriptions(),
                        inv.services(), inv.regions());
                c.commit();
                c.setAutoCommit(true);
                // DuckDB may leave compressing the new rows to its next checkpoint, at the latest when the
                // store closes; doing it here keeps that cost inside the import, where the progress shows it.
                timed("writing", "CHECKPOINT", PreparedStatement::execute);
                return new Result(source.label, importId, false, rows, inv.customers().size(), inv.subscriptions().size(),
                        inv.services().size(), inv.regions().size(), instant(period[0]), instant(period[1]), warnings,
                        plan.dropped.stream().map(FocusSource.Column::name).toList(), registered);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                if (kept != null) {
                    try {
                        Files.deleteIfExists(kept); // all or nothing: the file goes with the rolled-back import
                    } catch (IOException ignored) {
                        // the view never named it: an orphan file, not a partial import
                    }
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }

        private double[] aggregateRow(String sql, String step) throws SQLException {
            return timed(step, sql, ps -> {
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    int n = rs.getMetaData().getColumnCount();
                    double[] out = new double[n];
                    for (int i = 0; i < n; i++) {
                        out[i] = rs.getDouble(i + 1);
                    }
                    return out;
                }
            });
        }

        /** Runs {@code body} on {@code sql}, telling {@link #progress} how far DuckDB is; translates CSV errors. */
        private <T> T timed(String step, String sql, SqlBody<T> body) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                DuckDBPreparedStatement duck = ps.unwrap(DuckDBPreparedStatement.class);
                ScheduledFuture<?> poll = poller.scheduleAtFixedRate(() -> {
                    try {
                        QueryProgress p = duck.getQueryProgress();
                        // -1 before DuckDB has an estimate; 100 is told once, below, when the step is done
                        if (p.getPercentage() >= 0 && p.getPercentage() < 100) {
                            progress.update(source.label, step, p.getPercentage());
                        }
                    } catch (SQLException | RuntimeException ignored) {
                        // the statement finished meanwhile
                    }
                }, 200, 200, TimeUnit.MILLISECONDS);
                try {
                    T out = body.apply(ps);
                    poll.cancel(false);
                    progress.update(source.label, step, 100);
                    return out;
                } catch (SQLException e) {
                    throw readError(e);
                } finally {
                    poll.cancel(false);
                }
            }
        }

        /** A file DuckDB can't read is rejected, naming the line of a malformed CSV record. */
        private RuntimeException readError(SQLException e) throws SQLException {
            String message = e.getMessage() == null ? "" : e.getMessage();
            var line = FocusSource.csvErrorLine(message);
            if (line.isPresent()) {
                return new Rejected(source.file.toString(), line.get(), null, FocusSource.csvErrorReason(message));
            }
            if (message.contains("Invalid Input Error") || message.contains("IO Error") || message.contains("Conversion Error")) {
                return new Rejected(source.file.toString(), null, null, "couldn't be read: "
                        + message.lines().findFirst().orElse(""));
            }
            throw e;
        }
    }

    /** The inventory columns of the grouping query: alias and FOCUS column. */
    private static final List<String[]> INVENTORY_COLUMNS = List.of(
            new String[] {"acct", "BillingAccountId"}, new String[] {"acct_name", "BillingAccountName"},
            new String[] {"acct_type", "BillingAccountType"}, new String[] {"sub", "SubAccountId"},
            new String[] {"sub_name", "SubAccountName"}, new String[] {"svc", "ServiceName"},
            new String[] {"cat", "ServiceCategory"}, new String[] {"subcat", "ServiceSubcategory"},
            new String[] {"region", "RegionId"}, new String[] {"region_name", "RegionName"});

    /** Customers, subscriptions, services, regions: the grouping sets, in that order. */
    private static final List<List<String>> INVENTORY_SETS = List.of(List.of("acct", "acct_name", "acct_type", "country"),
            List.of("sub", "sub_name", "acct"), List.of("svc", "cat", "subcat"), List.of("region", "region_name"));

    /** The custom column a customer's country is taken from, when allowlisted. */
    static final String COUNTRY = "x_BillingCountry";

    private record Violation(String column, String predicate, String explanation, long rows) {
    }

    /** Distinct values of a grouping set, with their row count and latest ChargePeriodStart. */
    private record Group(Map<String, String> values, long rows, String latest) {
        String get(String key) {
            return values.get(key);
        }
    }

    private record Inventoried(List<Inventory.Customer> customers, List<Inventory.Subscription> subscriptions,
                               List<Inventory.Service> services, List<Inventory.Region> regions) {
    }

    @FunctionalInterface
    private interface SqlBody<T> {
        T apply(PreparedStatement ps) throws SQLException;
    }

    /** Per id (the {@code key} value), the group of the latest charge period, then of the most rows. */
    private static Map<String, Group> latest(List<Group> groups, String key) {
        Comparator<Group> order = Comparator.comparing((Group g) -> g.latest() == null ? "" : g.latest())
                .thenComparingLong(Group::rows);
        Map<String, Group> out = new TreeMap<>();
        for (Group g : groups) {
            String id = g.get(key);
            if (id != null) {
                out.merge(id, g, (a, b) -> order.compare(a, b) >= 0 ? a : b);
            }
        }
        return out;
    }

    /** The FOCUS spelling of an enumerated value written in any case, or null. */
    private static String spelled(Focus.Column column, String value) {
        return value == null ? null : column.values().contains(value) ? value
                : FocusPlan.spellings(column).get(value.toLowerCase(Locale.ROOT));
    }

    private static String customerType(String billingAccountType) {
        String t = billingAccountType == null ? "" : billingAccountType.strip().toLowerCase(Locale.ROOT);
        return Set.of("business", "government", "individual").contains(t) ? t : "business";
    }

    /** A display name for the inventory: the id if none; control characters as spaces; at most 256 characters. */
    private static String name(String name, String id) {
        String n = name == null ? id : name.replaceAll("\\p{Cntrl}", " ").strip();
        n = n.isEmpty() ? id : n;
        return n.length() > 256 ? n.substring(0, 256) : n;
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() || s.equalsIgnoreCase("null") ? null : s;
    }

    private static String clip(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "…" : s;
    }

    private static Instant instant(String iso) {
        return iso == null ? null : Instant.parse(iso);
    }
}
