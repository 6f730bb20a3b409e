package dev.warden.usage;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiConsumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Synthetic FOCUS 1.2 usage for a fictional provider, "Example Cloud": daily usage rows for N
 * customers over D days, written as ZSTD Parquet, one file per calendar month
 * ({@code focus-2025-01.parquet}, ...), with the FOCUS column names and types of {@link Focus}.
 *
 * <p>Every row is computed by DuckDB SQL from {@code hash(seed, ...)} of its keys, never by a
 * Java loop per row, so the same options give the same data and 100M rows take minutes on two
 * cores. Java builds only the small tables: regions, services, days and the hand-written meters
 * of the special customers.
 *
 * <p>The model: a customer has a heavy-tailed (log-normal) size, a yearly trend and 1–3
 * subscriptions; a subscription uses one or two regions and a random subset of the services
 * (most use virtual machines, storage and content delivery; a minority use AI services, at
 * modest, roughly stable volumes). A <em>meter</em> is one (subscription, service, region); it
 * yields one row per day: {@code base × trend × weekday/weekend factor × noise}. Three special
 * customers are always present (see {@link #specialMeters}): a video platform, a call-centre
 * analytics firm and the planted pattern that detection rules are meant to find.
 */
public final class Generator {
    private Generator() {
    }

    /** The provider, publisher and invoice issuer of every row (fictional). */
    public static final String PROVIDER = "Example Cloud";

    /** Special customers' account ids, present whatever the number of customers. */
    public static final String VIDEO = "acct-video";
    public static final String CALL_CENTRE = "acct-callcentre";
    public static final String PLANTED = "acct-planted";

    /** The special customers, plus enough ordinary ones for the heavy tail to mean something. */
    public static final int MIN_CUSTOMERS = 10;

    /**
     * What to generate.
     *
     * @param customers billing accounts in all, the 3 special ones included (at least {@value #MIN_CUSTOMERS})
     * @param days      days of usage from {@code start}, one row per meter and day
     * @param start     the first day (UTC)
     * @param seed      the same seed and options give the same rows
     * @param out       the directory the Parquet files are written to (created if need be)
     */
    public record Options(int customers, int days, LocalDate start, long seed, Path out) {
        public static final LocalDate DEFAULT_START = LocalDate.of(2025, 1, 1);
        public static final long DEFAULT_SEED = 42;

        public Options {
            Objects.requireNonNull(start, "start");
            Objects.requireNonNull(out, "out");
            if (customers < MIN_CUSTOMERS) {
                throw new UsageException("the number of customers must be at least " + MIN_CUSTOMERS
                        + " (3 of them are the special customers), not " + customers);
            }
            if (days < 1 || days > 3660) {
                throw new UsageException("the number of days must be between 1 and 3660, not " + days);
            }
        }

        public Options(int customers, int days, Path out) {
            this(customers, days, DEFAULT_START, DEFAULT_SEED, out);
        }

        /** The day after the last one generated. */
        public LocalDate end() {
            return start.plusDays(days);
        }
    }

    /**
     * What was written.
     *
     * @param files the Parquet files, in month order
     * @param rows  rows in all the files
     * @param start the first day
     * @param end   the day after the last one
     */
    public record Result(List<Path> files, long rows, LocalDate start, LocalDate end, Duration elapsed) {
        public Result {
            files = List.copyOf(files);
        }

        public double rowsPerSecond() {
            return rows / Math.max(1e-3, elapsed.toNanos() / 1e9);
        }
    }

    /** Generates the files; see {@link #generate(Options, BiConsumer)}. */
    public static Result generate(Options options) {
        return generate(options, (file, rows) -> {
        });
    }

    /**
     * Generates the files, calling {@code onFile} with each file and its row count once it is
     * complete. A file is written under a temporary name and renamed when done, so a crash never
     * leaves a partial {@code focus-*.parquet} behind; a file of the same name is replaced.
     */
    public static Result generate(Options options, BiConsumer<Path, Long> onFile) {
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(options.out());
        } catch (IOException e) {
            throw new UsageException("couldn't create the output directory " + options.out() + ": " + e.getMessage(), e);
        }
        List<Path> files = new ArrayList<>();
        long rows = 0;
        try (UsageStore store = UsageStore.inMemory(); Statement s = store.connection().createStatement()) {
            // Rows need no order, and not keeping one lets COPY stream without a reorder buffer.
            s.execute("SET preserve_insertion_order = false");
            for (String sql : setup(options)) {
                s.execute(sql);
            }
            for (YearMonth month = YearMonth.from(options.start()); !month.atDay(1).isAfter(options.end().minusDays(1));
                 month = month.plusMonths(1)) {
                Path file = options.out().resolve("focus-" + month + ".parquet");
                Path partial = options.out().resolve("." + file.getFileName() + ".partial");
                long n;
                try {
                    n = s.executeUpdate("COPY (" + monthQuery(month) + ") TO " + literal(partial.toString())
                            + " (FORMAT parquet, COMPRESSION zstd)");
                    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(partial);
                }
                files.add(file);
                rows += n;
                onFile.accept(file, n);
            }
        } catch (SQLException e) {
            throw new UsageException("couldn't generate usage: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UsageException("couldn't write to " + options.out() + ": " + e.getMessage(), e);
        }
        return new Result(files, rows, options.start(), options.end(), Duration.ofNanos(System.nanoTime() - t0));
    }

    // ---------------------------------------------------------------------------------------------
    // The catalogue

    /** Regions (FOCUS RegionId / RegionName). */
    private enum Region {
        NORTH("north-1", "North 1"), SOUTH("south-1", "South 1"), EAST("east-1", "East 1"), WEST("west-1", "West 1"),
        CENTRAL("central-1", "Central 1");

        final String id;
        final String displayName;

        Region(String id, String displayName) {
            this.id = id;
            this.displayName = displayName;
        }
    }

    /**
     * Services, with what FOCUS says about them and how ordinary customers use them.
     *
     * @param stock    a stored amount billed per GB-Month: a day's row is the amount / days in that month,
     *                 so a month's rows sum to the average stored (FOCUS PricingUnit "GB-Month")
     * @param weekend  weekend use relative to weekdays
     * @param noise    sigma of the day-to-day multiplicative (log-normal) noise
     * @param typical  a median ordinary subscription's daily quantity (stored GB for a stock)
     * @param uptake   the share of ordinary subscriptions that use it (of AI users, for an AI service)
     */
    private enum Service {
        OBJECT_STORAGE("Object Storage", "Storage", "Object Storage", "GB-Month", "sku-objstore-std", 0.021,
                true, 1.0, 0.004, 2_000, 0.85, "Object Storage, standard tier: data stored"),
        BLOCK_STORAGE("Block Storage", "Storage", "Block Storage", "GB-Month", "sku-block-ssd", 0.08,
                true, 1.0, 0.01, 400, 0.8, "Block Storage, SSD volumes: capacity provisioned"),
        VIRTUAL_MACHINES("Virtual Machines", "Compute", "Virtual Machines", "Hours", "sku-vm-std", 0.096,
                false, 0.75, 0.08, 240, 0.95, "Virtual Machines, standard size: instance hours"),
        CONTENT_DELIVERY("Content Delivery", "Networking", "Content Delivery", "GB", "sku-cdn-egress", 0.06,
                false, 1.15, 0.15, 60, 0.7, "Content Delivery: data transferred out"),
        SPEECH_TO_TEXT("Speech to Text", "AI and Machine Learning", "Natural Language Processing", "Hours",
                "sku-stt-std", 0.96, false, 0.5, 0.15, 4, 0.5, "Speech to Text, standard model: audio hours processed"),
        TRANSLATION("Translation", "AI and Machine Learning", "Natural Language Processing", "1M Characters",
                "sku-translate-std", 15.0, false, 0.5, 0.15, 0.5, 0.5, "Translation, standard: millions of characters"),
        LLM_INFERENCE("LLM Inference", "AI and Machine Learning", "Generative AI", "1K Tokens", "sku-llm-std", 0.002,
                false, 0.6, 0.2, 20_000, 0.6, "LLM Inference, standard model: thousands of tokens");

        final String serviceName;
        final String category;
        final String subcategory;
        final String unit;
        final String sku;
        final double listPrice;
        final boolean stock;
        final double weekend;
        final double noise;
        final double typical;
        final double uptake;
        final String description;

        Service(String serviceName, String category, String subcategory, String unit, String sku, double listPrice,
                boolean stock, double weekend, double noise, double typical, double uptake, String description) {
            // FOCUS 1.2 ServiceCategory and ServiceSubcategory: a closed list, and the subcategory belongs to its category.
            if (!Focus.SERVICE_SUBCATEGORIES.getOrDefault(category, List.of()).contains(subcategory)) {
                throw new IllegalStateException(subcategory + " is not a FOCUS subcategory of " + category);
            }
            this.serviceName = serviceName;
            this.category = category;
            this.subcategory = subcategory;
            this.unit = unit;
            this.sku = sku;
            this.listPrice = listPrice;
            this.stock = stock;
            this.weekend = weekend;
            this.noise = noise;
            this.typical = typical;
            this.uptake = uptake;
            this.description = description;
        }

        boolean ai() {
            return category.equals("AI and Machine Learning");
        }

        /** Mean-one weekly profile: weekday and weekend factors average 1 over a week. */
        double weekdayFactor() {
            return 7 / (5 + 2 * weekend);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // The special customers

    private record Account(String id, String name, String type, double discount) {
    }

    /**
     * One special (subscription, service, region): {@code base} a day (stored GB for a stock) on
     * day {@code from}, then growing by {@code e^rate} a day until day {@code to}, flat outside.
     */
    private record Meter(Account account, String subId, String subName, Service service, Region region, double base,
                         double rate, int from, int to) {
    }

    private static final double TB = 1_000;          // GB, decimal, as storage is billed
    private static final double PB = 1_000_000;
    private static final double MONTH = 365.25 / 12; // days

    private static final Account STREAMLY = new Account(VIDEO, "Streamly Video", "Business", 0.30);
    private static final Account CALLSENSE = new Account(CALL_CENTRE, "CallSense Analytics", "Business", 0.20);
    private static final Account HARBOR = new Account(PLANTED, "Harbor Civic Systems", "Government", 0.15);

    /**
     * The meters of the three special customers, in natural units.
     *
     * <ul>
     *   <li>{@value #VIDEO}: several PB of object storage over three regions growing ~3.5% a month
     *       and a very large CDN, with no speech to text: big storage alone is not a signal.</li>
     *   <li>{@value #CALL_CENTRE}: ~200k audio hours of speech to text a month, growing ≤ 1.5× a
     *       year: a large AI volume with a legitimate, steady shape.</li>
     *   <li>{@value #PLANTED}: the pattern modelled on the public figures of a real case — object
     *       storage in one region ({@code central-1}) rising from ~3 PB to ~11.5 PB over about eight
     *       months, and speech to text and translation rising 64× in six months, in two of its three
     *       subscriptions; the third is ordinary office IT.</li>
     * </ul>
     *
     * The ramps end about a month before the last day and are squeezed into the period when it is
     * shorter than eight months, so that the first and last months always show the whole rise.
     */
    private static List<Meter> specialMeters(int days) {
        int plateau = Math.min(30, days / 6);
        int peak = days - plateau;
        int storageFrom = Math.max(plateau, peak - 243);   // ~8 months
        int aiFrom = Math.max(plateau, peak - 182);        // ~6 months
        List<Meter> m = new ArrayList<>();

        double videoStorage = yearly(Math.pow(1.035, 12));
        double cdnGrowth = yearly(Math.pow(1.025, 12));
        spread(m, STREAMLY, "sub-video-1", "media-origin", Service.OBJECT_STORAGE, 4.8 * PB, videoStorage);
        spread(m, STREAMLY, "sub-video-2", "edge-delivery", Service.CONTENT_DELIVERY, 20 * PB / MONTH, cdnGrowth);
        m.add(steady(STREAMLY, "sub-video-3", "transcoding", Service.VIRTUAL_MACHINES, Region.EAST, 1_500 * 24, 1.25, days));
        m.add(steady(STREAMLY, "sub-video-3", "transcoding", Service.BLOCK_STORAGE, Region.EAST, 400 * TB, 1.25, days));
        m.add(steady(STREAMLY, "sub-video-3", "transcoding", Service.TRANSLATION, Region.EAST, 3, 1.1, days));

        double sttDaily = 200_000 / MONTH;
        m.add(steady(CALLSENSE, "sub-callcentre-1", "transcription", Service.SPEECH_TO_TEXT, Region.EAST, 0.8 * sttDaily, 1.25, days));
        m.add(steady(CALLSENSE, "sub-callcentre-1", "transcription", Service.SPEECH_TO_TEXT, Region.SOUTH, 0.2 * sttDaily, 1.25, days));
        m.add(steady(CALLSENSE, "sub-callcentre-1", "transcription", Service.TRANSLATION, Region.EAST, 20, 1.1, days));
        m.add(steady(CALLSENSE, "sub-callcentre-1", "transcription", Service.LLM_INFERENCE, Region.EAST, 40_000, 1.1, days));
        m.add(steady(CALLSENSE, "sub-callcentre-2", "platform", Service.OBJECT_STORAGE, Region.EAST, 60 * TB, 1.2, days));
        m.add(steady(CALLSENSE, "sub-callcentre-2", "platform", Service.BLOCK_STORAGE, Region.EAST, 20 * TB, 1.2, days));
        m.add(steady(CALLSENSE, "sub-callcentre-2", "platform", Service.VIRTUAL_MACHINES, Region.EAST, 120 * 24, 1.1, days));

        // Two subscriptions share the ramps 62/38 (storage) and 70/30 (AI); all in central-1, except a
        // small, flat copy in north-1 that keeps central-1 above 90% of the customer's storage.
        String[][] subs = {{"sub-planted-1", "records-archive"}, {"sub-planted-2", "media-processing"}};
        double[] storageShare = {0.62, 0.38};
        double[] aiShare = {0.70, 0.30};
        for (int i = 0; i < subs.length; i++) {
            String id = subs[i][0];
            String name = subs[i][1];
            m.add(ramp(HARBOR, id, name, Service.OBJECT_STORAGE, storageShare[i] * 3 * PB, storageShare[i] * 11.5 * PB,
                    storageFrom, peak));
            m.add(ramp(HARBOR, id, name, Service.SPEECH_TO_TEXT, aiShare[i] * 160, aiShare[i] * 160 * 64, aiFrom, peak));
            m.add(ramp(HARBOR, id, name, Service.TRANSLATION, aiShare[i] * 8, aiShare[i] * 8 * 64, aiFrom, peak));
            m.add(ramp(HARBOR, id, name, Service.VIRTUAL_MACHINES, aiShare[i] * 400 * 24, aiShare[i] * 1_200 * 24,
                    storageFrom, peak));
        }
        m.add(ramp(HARBOR, subs[0][0], subs[0][1], Service.BLOCK_STORAGE, 200 * TB, 600 * TB, storageFrom, peak));
        m.add(steady(HARBOR, subs[1][0], subs[1][1], Service.OBJECT_STORAGE, Region.NORTH, 80 * TB, 1.0, days));
        m.add(steady(HARBOR, "sub-planted-3", "office-it", Service.VIRTUAL_MACHINES, Region.CENTRAL, 12 * 24, 1.05, days));
        m.add(steady(HARBOR, "sub-planted-3", "office-it", Service.BLOCK_STORAGE, Region.CENTRAL, 2 * TB, 1.05, days));
        return m;
    }

    private static double yearly(double factor) {
        return Math.log(factor) / 365.25;
    }

    /** Grows by {@code perYear} (a factor) over each year of the period. */
    private static Meter steady(Account a, String subId, String subName, Service s, Region r, double base,
                                double perYear, int days) {
        return new Meter(a, subId, subName, s, r, base, yearly(perYear), 0, days);
    }

    /** From {@code from} a day until day {@code start}, then exponentially to {@code to} on day {@code end}. */
    private static Meter ramp(Account a, String subId, String subName, Service s, double from, double to, int start,
                              int end) {
        return new Meter(a, subId, subName, s, Region.CENTRAL, from, Math.log(to / from) / (end - start), start, end);
    }

    /** The video platform's three-region spread, 40/35/25. */
    private static void spread(List<Meter> m, Account a, String subId, String subName, Service s, double base,
                               double rate) {
        Region[] regions = {Region.NORTH, Region.EAST, Region.WEST};
        double[] share = {0.40, 0.35, 0.25};
        for (int i = 0; i < regions.length; i++) {
            m.add(new Meter(a, subId, subName, s, regions[i], share[i] * base, rate, 0, Integer.MAX_VALUE));
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Names of ordinary customers: fictional, neutral, built from word lists

    private static final List<String> WORDS = List.of("Amber", "Aspen", "Birch", "Bramble", "Brook", "Cedar", "Clover",
            "Cobalt", "Copper", "Coral", "Crescent", "Dune", "Elm", "Ember", "Fern", "Fjord", "Flint", "Garnet", "Glen",
            "Granite", "Hazel", "Heath", "Indigo", "Iris", "Juniper", "Kestrel", "Lantern", "Linden", "Maple", "Meadow",
            "Moss", "Nettle", "Oak", "Onyx", "Opal", "Pine", "Quarry", "Quill", "Reed", "Ridge", "Rowan", "Saffron",
            "Slate", "Sorrel", "Thistle", "Umber", "Vale", "Willow", "Wren", "Yarrow");
    private static final List<String> TRADES = List.of("Analytics", "Apparel", "Architects", "Bakery", "Bicycles",
            "Books", "Brewing", "Builders", "Cartography", "Ceramics", "Clinic", "Consulting", "Dental", "Design",
            "Dispatch", "Energy", "Engineering", "Events", "Farms", "Fitness", "Foods", "Freight", "Furniture", "Games",
            "Gardens", "Health", "Imaging", "Insurance", "Interiors", "Labs", "Learning", "Legal", "Logistics",
            "Machining", "Marine", "Media", "Metalworks", "Mobility", "Optics", "Outfitters", "Pharmacy", "Printing",
            "Robotics", "Software", "Solar", "Studios", "Textiles", "Tours", "Travel", "Veterinary");
    private static final List<String> SUFFIXES = List.of("Ltd", "Inc", "LLC", "GmbH", "Co", "Group", "Partners",
            "Cooperative", "AG", "Holdings");
    private static final List<String> PLACES = List.of("field", "ton", "ford", "bury", "ham", "wick", "mouth", "dale",
            "stead", "moor");
    private static final List<String> AGENCIES = List.of("Municipal Services", "County Office", "Water Board",
            "Transit Authority", "Public Library", "School District", "Parks Department", "Housing Agency",
            "Records Office", "Health Department");
    private static final List<String> SUBSCRIPTION_NAMES = List.of("production", "staging", "analytics", "web",
            "backup", "data-platform", "research", "operations");
    /** Distinct (word, trade, suffix) triples; customer i takes triple (i × 7919) mod this, a bijection. */
    private static final int NAME_SPACE = WORDS.size() * TRADES.size() * SUFFIXES.size();

    // ---------------------------------------------------------------------------------------------
    // SQL

    /** The statements that build the generation tables in the in-memory database. */
    private static List<String> setup(Options o) {
        int ordinary = o.customers() - 3;
        List<String> sql = new ArrayList<>();
        // Reproducible randomness: hash() is deterministic, so a value is a function of (seed, stream, keys).
        // DuckDB's hash of several arguments mixes them weakly: its high bits hardly change with the last
        // argument (the uniforms of one subscription's 7 services came out within 0.4 of each other), so the
        // combined hash is hashed once more, which mixes every bit.
        // uniform: the top 53 bits as a double in [0, 1). normal: Box-Muller on the two 32-bit halves.
        sql.add("CREATE OR REPLACE TEMP MACRO draw(stream, a, b) AS hash(hash(" + o.seed() + "::BIGINT, stream, a, b))");
        sql.add("CREATE OR REPLACE TEMP MACRO uniform(stream, a, b) AS (draw(stream, a, b) >> 11)::DOUBLE / 9007199254740992.0");
        sql.add("CREATE OR REPLACE TEMP MACRO box_muller(h) AS sqrt(-2 * ln(((h >> 32)::DOUBLE + 0.5) / 4294967296.0))"
                + " * cos(2 * pi() * (h & 4294967295)::DOUBLE / 4294967296.0)");
        sql.add("CREATE OR REPLACE TEMP MACRO normal(stream, a, b) AS box_muller(draw(stream, a, b))");

        sql.add("CREATE TEMP TABLE region AS SELECT * FROM (VALUES " + Stream.of(Region.values())
                .map(r -> "(" + r.ordinal() + ", " + literal(r.id) + ", " + literal(r.displayName) + ")")
                .collect(Collectors.joining(", ")) + ") t(region, region_id, region_name)");

        sql.add("CREATE TEMP TABLE service AS SELECT * FROM (VALUES " + Stream.of(Service.values())
                .map(s -> "(" + String.join(", ", String.valueOf(s.ordinal()), literal(s.serviceName), literal(s.category),
                        literal(s.subcategory), literal(s.unit), literal(s.sku), literal(s.sku.replace("sku-", "price-")),
                        number(s.listPrice), String.valueOf(s.stock), number(s.weekdayFactor()),
                        number(s.weekend * s.weekdayFactor()), number(s.noise), number(s.typical), number(s.uptake),
                        String.valueOf(s.ai()), literal(s.description)) + ")")
                .collect(Collectors.joining(", "))
                + ") t(service, service_name, category, subcategory, unit, sku_id, sku_price_id, list_price, stock,"
                + " weekday_factor, weekend_factor, noise, typical, uptake, ai, description)");

        sql.add("CREATE TEMP TABLE day AS SELECT day, strftime(d, '%Y-%m') AS month, d::TIMESTAMP AS day_start,"
                + " (d + 1)::TIMESTAMP AS day_end, date_trunc('month', d)::TIMESTAMP AS month_start,"
                + " (date_trunc('month', d) + INTERVAL 1 MONTH)::TIMESTAMP AS month_end,"
                + " dayofmonth(last_day(d)) AS month_days, isodow(d) >= 6 AS weekend"
                + " FROM (SELECT range::INTEGER AS day, DATE " + literal(o.start().toString()) + " + range::INTEGER AS d"
                + " FROM range(" + o.days() + "))");

        // Ordinary customers. Size is log-normal (sigma 1.4: the largest of 20,000 is ~250x the median);
        // the trend is ~+8% a year, sd 20 points; bigger customers negotiate bigger discounts; 5% join
        // during the period.
        sql.add("CREATE TEMP TABLE customer AS SELECT i, 'acct-' || lpad((i + 1)::VARCHAR, 6, '0') AS account_id,"
                + " CASE WHEN uniform('type', i, 0) < 0.85 THEN 'Business'"
                + " WHEN uniform('type', i, 0) < 0.93 THEN 'Government' ELSE 'Individual' END AS account_type,"
                + " (i * 7919) % " + NAME_SPACE + " AS name_index,"
                + " exp(1.4 * normal('size', i, 0)) AS size,"
                + " (0.08 + 0.20 * normal('trend', i, 0)) / 365.25 AS rate,"
                + " least(0.30, greatest(0.0, 0.05 + 0.05 * ln(size))) AS discount,"
                + " uniform('ai', i, 0) < 0.20 AS ai_user,"
                + " CASE WHEN uniform('joins', i, 0) < 0.05 THEN floor(uniform('joins', i, 1) * " + o.days()
                + ")::INTEGER ELSE 0 END AS start_day,"
                + " 1 + (uniform('subs', i, 0) >= 0.25)::INTEGER + (uniform('subs', i, 0) >= 0.60)::INTEGER AS subscriptions"
                + " FROM range(" + ordinary + ") t(i)");
        sql.add("CREATE TEMP TABLE customer_name AS SELECT i, CASE account_type"
                + " WHEN 'Business' THEN " + list(WORDS) + "[name_index % " + WORDS.size() + " + 1] || ' ' || "
                + list(TRADES) + "[(name_index // " + WORDS.size() + ") % " + TRADES.size() + " + 1] || ' ' || "
                + list(SUFFIXES) + "[name_index // " + WORDS.size() * TRADES.size() + " + 1]"
                + " WHEN 'Government' THEN " + list(WORDS) + "[name_index % " + WORDS.size() + " + 1] || "
                + list(PLACES) + "[name_index // " + WORDS.size() * TRADES.size() + " + 1] || ' ' || "
                + list(AGENCIES) + "[(name_index // " + WORDS.size() + ") % " + AGENCIES.size() + " + 1]"
                + " ELSE chr((65 + (name_index // " + WORDS.size() + ") % 26)::INTEGER) || '. ' || "
                + list(WORDS) + "[name_index % " + WORDS.size() + " + 1] END"
                + " || CASE WHEN i >= " + NAME_SPACE + " THEN ' ' || (i // " + NAME_SPACE + " + 1) ELSE '' END AS account_name"
                + " FROM customer");

        // Subscriptions: 1-3 per customer, each with a main region and, for 55%, a second one taking 10-40%.
        sql.add("CREATE TEMP TABLE subscription AS SELECT c.*, n.account_name,"
                + " 'sub-' || lpad((c.i + 1)::VARCHAR, 6, '0') || '-' || (k + 1) AS sub_id,"
                + " " + list(SUBSCRIPTION_NAMES) + "[((draw('subname', c.i, 0) % "
                + SUBSCRIPTION_NAMES.size() + ")::INTEGER + k) % " + SUBSCRIPTION_NAMES.size() + " + 1] AS sub_name,"
                + " floor(uniform('region', c.i, k) * 5)::INTEGER AS region1,"
                + " (region1 + 1 + floor(uniform('region2', c.i, k) * 4)::INTEGER) % 5 AS region2,"
                + " uniform('two-regions', c.i, k) < 0.55 AS two_regions,"
                + " 0.1 + 0.3 * uniform('share', c.i, k) AS share2,"
                + " exp(0.7 * normal('weight', c.i, k) - 0.245) / c.subscriptions AS weight,"
                + " " + Stream.of(Service.values()).filter(v -> !v.ai()).map(v -> String.valueOf(v.ordinal()))
                .collect(Collectors.joining(", ", "[", "]")) + "[floor(uniform('anchor', c.i, k) * "
                + Stream.of(Service.values()).filter(v -> !v.ai()).count() + ")::INTEGER + 1] AS anchor"
                + " FROM customer c JOIN customer_name n USING (i), range(3) t(k) WHERE k < c.subscriptions");

        // Meters: (subscription, service, region). AI services only for AI users, and roughly stable. Every
        // subscription uses its anchor service, so that every customer has usage.
        sql.add("CREATE TEMP TABLE meter AS SELECT s.account_id, s.account_name, s.account_type, s.sub_id, s.sub_name,"
                + " v.service, CASE WHEN slot = 0 THEN s.region1 ELSE s.region2 END AS region,"
                + " v.typical * s.size * s.weight * CASE WHEN slot = 1 THEN s.share2 WHEN s.two_regions THEN 1 - s.share2"
                + " ELSE 1 END * exp(0.5 * normal('meter', hash(s.sub_id, v.service), slot) - 0.125) AS base,"
                + " CASE WHEN v.ai THEN 0.05 * normal('meter-trend', hash(s.sub_id), v.service)"
                + " ELSE s.rate * 365.25 + 0.10 * normal('meter-trend', hash(s.sub_id), v.service) END / 365.25 AS rate,"
                + " 0 AS from_day, " + o.days() + " AS to_day, s.start_day, s.discount"
                + " FROM subscription s, service v, range(2) t(slot)"
                + " WHERE (slot = 0 OR s.two_regions) AND (v.service = s.anchor OR uniform('uses', hash(s.sub_id), v.service)"
                + " < CASE WHEN NOT v.ai THEN v.uptake WHEN s.ai_user THEN v.uptake ELSE 0 END)");
        List<Meter> special = specialMeters(o.days());
        sql.add("INSERT INTO meter SELECT * FROM (VALUES " + special.stream()
                .map(m -> "(" + String.join(", ", literal(m.account().id()), literal(m.account().name()),
                        literal(m.account().type()), literal(m.subId()), literal(m.subName()),
                        String.valueOf(m.service().ordinal()), String.valueOf(m.region().ordinal()), number(m.base()),
                        number(m.rate()), String.valueOf(m.from()), String.valueOf(Math.min(m.to(), o.days())), "0",
                        number(m.account().discount())) + ")")
                .collect(Collectors.joining(", ")) + ")");
        // Everything a row needs from its meter, joined once here rather than per row.
        sql.add("CREATE TEMP TABLE meter_row AS SELECT m.*, v.* EXCLUDE (service), r.* EXCLUDE (region),"
                + " round(v.list_price * (1 - m.discount), 6) AS contracted_price,"
                + " hash(m.sub_id, m.service, m.region) AS meter_key"
                + " FROM meter m JOIN service v USING (service) JOIN region r USING (region)");
        // The text columns become ENUMs. Parquet stores an ENUM as an ordinary string column with its
        // dictionary (readers see VARCHAR), and DuckDB writes it from the codes, without the per-value
        // string handling that made the text columns most of the write time for VARCHAR.
        for (String c : ENUM_COLUMNS) {
            sql.add("CREATE TYPE " + c + "_t AS ENUM (SELECT DISTINCT " + c + " FROM meter_row ORDER BY 1)");
        }
        sql.add("CREATE TEMP TABLE usage_meter AS SELECT * REPLACE (" + ENUM_COLUMNS.stream()
                .map(c -> c + "::" + c + "_t AS " + c).collect(Collectors.joining(", ")) + ") FROM meter_row");
        return sql;
    }

    private static final List<String> ENUM_COLUMNS = List.of("account_id", "account_name", "account_type", "sub_id",
            "sub_name", "service_name", "category", "subcategory", "unit", "sku_id", "sku_price_id", "description",
            "region_id", "region_name");

    /**
     * One month's rows. A day's quantity is {@code base × e^(rate × days into the ramp) × weekly
     * factor × log-normal noise (mean 1)}, divided by the days in the month for GB-Month.
     */
    private static String monthQuery(YearMonth month) {
        String quantity = "m.base * exp(m.rate * (least(greatest(d.day, m.from_day), m.to_day) - m.from_day))"
                + " * CASE WHEN d.weekend THEN m.weekend_factor ELSE m.weekday_factor END"
                + " * exp(m.noise * normal('noise', m.meter_key, d.day) - m.noise * m.noise / 2)"
                + " / CASE WHEN m.stock THEN d.month_days ELSE 1 END";
        String columns = focusColumns().entrySet().stream().map(e -> {
            String type = Focus.column(e.getKey()).orElseThrow().type().sql();
            // Text is VARCHAR or an ENUM (setup), both a Parquet string; a cast to VARCHAR would only slow the write.
            boolean text = type.equals("VARCHAR") && !e.getValue().equals("NULL");
            return (text ? e.getValue() : "CAST(" + e.getValue() + " AS " + type + ")") + " AS " + UsageStore.quote(e.getKey());
        }).collect(Collectors.joining(", "));
        return "SELECT " + columns + " FROM (SELECT m.*, d.*, " + quantity + " AS quantity"
                + " FROM usage_meter m JOIN day d ON d.day >= m.start_day WHERE d.month = " + literal(month.toString()) + ")";
    }

    /**
     * The FOCUS columns written, each with its SQL, in {@link Focus#COLUMNS} order: all Mandatory
     * columns and the Conditional/Recommended ones the provider supports. Usage rows at list and
     * negotiated prices and no commitment discounts, so BilledCost = EffectiveCost = ContractedCost;
     * ListCost = ListUnitPrice × PricingQuantity and ContractedCost = ContractedUnitPrice ×
     * PricingQuantity (FOCUS 1.2 columns ListCost and ContractedCost); ConsumedQuantity =
     * PricingQuantity, as every unit is billed as consumed; ChargeClass null, as no row corrects an
     * earlier billing period (column ChargeClass).
     */
    private static Map<String, String> focusColumns() {
        Map<String, String> c = new LinkedHashMap<>();
        c.put("BilledCost", "quantity * contracted_price");
        c.put("BillingAccountId", "account_id");
        c.put("BillingAccountName", "account_name");
        c.put("BillingAccountType", "account_type");
        c.put("BillingCurrency", "'USD'");
        c.put("BillingPeriodEnd", "month_end");
        c.put("BillingPeriodStart", "month_start");
        c.put("ChargeCategory", "'Usage'");
        c.put("ChargeClass", "NULL");
        c.put("ChargeDescription", "description");
        c.put("ChargeFrequency", "'Usage-Based'");
        c.put("ChargePeriodEnd", "day_end");
        c.put("ChargePeriodStart", "day_start");
        c.put("ConsumedQuantity", "quantity");
        c.put("ConsumedUnit", "unit");
        c.put("ContractedCost", "quantity * contracted_price");
        c.put("ContractedUnitPrice", "contracted_price");
        c.put("EffectiveCost", "quantity * contracted_price");
        c.put("InvoiceIssuerName", literal(PROVIDER));
        c.put("ListCost", "quantity * list_price");
        c.put("ListUnitPrice", "list_price");
        c.put("PricingCategory", "'Standard'");
        c.put("PricingQuantity", "quantity");
        c.put("PricingUnit", "unit");
        c.put("ProviderName", literal(PROVIDER));
        c.put("PublisherName", literal(PROVIDER));
        c.put("RegionId", "region_id");
        c.put("RegionName", "region_name");
        c.put("ServiceCategory", "category");
        c.put("ServiceName", "service_name");
        c.put("ServiceSubcategory", "subcategory");
        c.put("SkuId", "sku_id");
        c.put("SkuPriceId", "sku_price_id");
        c.put("SubAccountId", "sub_id");
        c.put("SubAccountName", "sub_name");
        Map<String, String> ordered = new LinkedHashMap<>();
        Focus.COLUMNS.stream().filter(col -> c.containsKey(col.name())).forEach(col -> ordered.put(col.name(), c.get(col.name())));
        if (ordered.size() != c.size()) {
            throw new IllegalStateException("not FOCUS columns: " + c.keySet().stream().filter(k -> !ordered.containsKey(k)).toList());
        }
        return ordered;
    }

    private static String literal(String s) {
        return UsageStore.literal(s);
    }

    private static String number(double d) {
        return Double.toString(d) + "::DOUBLE";
    }

    private static String list(List<String> values) {
        return values.stream().map(Generator::literal).collect(Collectors.joining(", ", "[", "]"));
    }
}
