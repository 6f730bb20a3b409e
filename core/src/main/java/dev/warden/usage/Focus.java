package dev.warden.usage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The FOCUS 1.x columns (FinOps Open Cost and Usage Specification, 1.0 to 1.2): name, data type,
 * feature level, whether nulls are allowed, and the allowed values of the enumerated ones. This
 * is the one place the import's checks and the usage store's table take the schema from.
 *
 * <p>Column names are kept exactly as FOCUS spells them, in the store too, so that rule SQL
 * compiled for DuckDB runs unchanged over the providers' own FOCUS Parquet elsewhere (Spark).
 */
public final class Focus {
    private Focus() {
    }

    /** FOCUS §Attributes: the data types a column can have. */
    public enum Type {
        /** Attribute "String handling". */
        STRING("VARCHAR"),
        /** Attribute "Numeric format": stored as DOUBLE, which detection needs, not cent-exact money. */
        DECIMAL("DOUBLE"),
        /** Attribute "Date/Time format": UTC, {@code YYYY-MM-DDTHH:mm:ssZ}. */
        DATETIME("TIMESTAMP"),
        /** Attribute "Key-Value format": a JSON object, kept as its text. */
        JSON("VARCHAR");

        private final String sql;

        Type(String sql) {
            this.sql = sql;
        }

        /** The column type in the usage store (DuckDB; also ANSI SQL). */
        public String sql() {
            return sql;
        }
    }

    /** FOCUS feature levels. A mandatory column must be in every file. */
    public enum Level {
        MANDATORY, RECOMMENDED, CONDITIONAL
    }

    /**
     * One FOCUS column.
     *
     * @param values the allowed values of an enumeration, exactly as FOCUS spells them; empty if free
     */
    public record Column(String name, Type type, Level level, boolean nullable, Set<String> values) {
        public Column {
            values = Set.copyOf(values);
        }

        public boolean enumerated() {
            return !values.isEmpty();
        }
    }

    /** FOCUS ServiceCategory (the same 19 values in 1.0, 1.1 and 1.2). */
    public static final Set<String> SERVICE_CATEGORIES = Set.of("AI and Machine Learning", "Analytics",
            "Business Applications", "Compute", "Databases", "Developer Tools", "Multicloud", "Identity", "Integration",
            "Internet of Things", "Management and Governance", "Media", "Migration", "Mobile", "Networking", "Security",
            "Storage", "Web", "Other");

    /** FOCUS 1.2 ServiceSubcategory, by parent ServiceCategory; every category also has "Other (category)". */
    public static final Map<String, List<String>> SERVICE_SUBCATEGORIES = subcategories();

    private static Map<String, List<String>> subcategories() {
        Map<String, List<String>> m = new LinkedHashMap<>();
        m.put("AI and Machine Learning", List.of("AI Platforms", "Bots", "Generative AI", "Machine Learning",
                "Natural Language Processing"));
        m.put("Analytics", List.of("Analytics Platforms", "Business Intelligence", "Data Processing", "Search",
                "Streaming Analytics"));
        m.put("Business Applications", List.of("Productivity and Collaboration"));
        m.put("Compute", List.of("Containers", "End User Computing", "Quantum Compute", "Serverless Compute",
                "Virtual Machines"));
        m.put("Databases", List.of("Caching", "Data Warehouses", "Ledger Databases", "NoSQL Databases",
                "Relational Databases", "Time Series Databases"));
        m.put("Developer Tools", List.of("Developer Platforms", "Continuous Integration and Deployment",
                "Development Environments", "Source Code Management", "Quality Assurance"));
        m.put("Identity", List.of("Identity and Access Management"));
        m.put("Integration", List.of("API Management", "Messaging", "Workflow Orchestration"));
        m.put("Internet of Things", List.of("IoT Analytics", "IoT Platforms"));
        m.put("Management and Governance", List.of("Architecture", "Compliance", "Cost Management", "Data Governance",
                "Disaster Recovery", "Endpoint Management", "Observability", "Support"));
        m.put("Media", List.of("Content Creation", "Gaming", "Media Streaming", "Mixed Reality"));
        m.put("Migration", List.of("Data Migration", "Resource Migration"));
        m.put("Mobile", List.of());
        m.put("Multicloud", List.of("Multicloud Integration"));
        m.put("Networking", List.of("Application Networking", "Content Delivery", "Network Connectivity",
                "Network Infrastructure", "Network Routing", "Network Security"));
        m.put("Security", List.of("Secret Management", "Security Posture Management", "Threat Detection and Response"));
        m.put("Storage", List.of("Backup Storage", "Block Storage", "File Storage", "Object Storage", "Storage Platforms"));
        m.put("Web", List.of("Application Platforms"));
        m.put("Other", List.of());
        Map<String, List<String>> out = new LinkedHashMap<>();
        m.forEach((category, subs) -> {
            List<String> all = new java.util.ArrayList<>(subs);
            all.add("Other (" + category + ")");
            out.put(category, List.copyOf(all));
        });
        return java.util.Collections.unmodifiableMap(out);
    }

    private static Set<String> allSubcategories() {
        Set<String> all = new java.util.HashSet<>();
        SERVICE_SUBCATEGORIES.values().forEach(all::addAll);
        return all;
    }

    private static Column col(String name, Type type, Level level, boolean nullable, String... values) {
        return new Column(name, type, level, nullable, Set.of(values));
    }

    private static final Level M = Level.MANDATORY;
    private static final Level R = Level.RECOMMENDED;
    private static final Level C = Level.CONDITIONAL;

    /** Every FOCUS 1.2 column (1.0's 43, 1.1's 7 more and 1.2's 7 more), in the spec's alphabetical order. */
    public static final List<Column> COLUMNS = List.of(
            col("AvailabilityZone", Type.STRING, R, true),
            col("BilledCost", Type.DECIMAL, M, false),
            col("BillingAccountId", Type.STRING, M, false),
            col("BillingAccountName", Type.STRING, M, true),
            col("BillingAccountType", Type.STRING, C, true),
            col("BillingCurrency", Type.STRING, M, false),
            col("BillingPeriodEnd", Type.DATETIME, M, false),
            col("BillingPeriodStart", Type.DATETIME, M, false),
            col("CapacityReservationId", Type.STRING, C, true),
            col("CapacityReservationStatus", Type.STRING, C, true, "Used", "Unused"),
            col("ChargeCategory", Type.STRING, M, false, "Usage", "Purchase", "Tax", "Credit", "Adjustment"),
            col("ChargeClass", Type.STRING, M, true, "Correction"),
            col("ChargeDescription", Type.STRING, M, true),
            col("ChargeFrequency", Type.STRING, R, false, "One-Time", "Recurring", "Usage-Based"),
            col("ChargePeriodEnd", Type.DATETIME, M, false),
            col("ChargePeriodStart", Type.DATETIME, M, false),
            col("CommitmentDiscountCategory", Type.STRING, C, true, "Spend", "Usage"),
            col("CommitmentDiscountId", Type.STRING, C, true),
            col("CommitmentDiscountName", Type.STRING, C, true),
            col("CommitmentDiscountQuantity", Type.DECIMAL, C, true),
            col("CommitmentDiscountStatus", Type.STRING, C, true, "Used", "Unused"),
            col("CommitmentDiscountType", Type.STRING, C, true),
            col("CommitmentDiscountUnit", Type.STRING, C, true),
            col("ConsumedQuantity", Type.DECIMAL, C, true),
            col("ConsumedUnit", Type.STRING, C, true),
            col("ContractedCost", Type.DECIMAL, M, false),
            col("ContractedUnitPrice", Type.DECIMAL, C, true),
            col("EffectiveCost", Type.DECIMAL, M, false),
            col("InvoiceId", Type.STRING, R, true),
            col("InvoiceIssuerName", Type.STRING, M, false),
            col("ListCost", Type.DECIMAL, M, false),
            col("ListUnitPrice", Type.DECIMAL, C, true),
            col("PricingCategory", Type.STRING, C, true, "Standard", "Dynamic", "Committed", "Other"),
            col("PricingCurrency", Type.STRING, C, true),
            col("PricingCurrencyContractedUnitPrice", Type.DECIMAL, C, true),
            col("PricingCurrencyEffectiveCost", Type.DECIMAL, C, true),
            col("PricingCurrencyListUnitPrice", Type.DECIMAL, C, true),
            col("PricingQuantity", Type.DECIMAL, M, true),
            col("PricingUnit", Type.STRING, M, true),
            col("ProviderName", Type.STRING, M, false),
            col("PublisherName", Type.STRING, M, false),
            col("RegionId", Type.STRING, C, true),
            col("RegionName", Type.STRING, C, true),
            col("ResourceId", Type.STRING, C, true),
            col("ResourceName", Type.STRING, C, true),
            col("ResourceType", Type.STRING, C, true),
            col("ServiceCategory", Type.STRING, M, false, SERVICE_CATEGORIES.toArray(String[]::new)),
            col("ServiceName", Type.STRING, M, false),
            col("ServiceSubcategory", Type.STRING, R, true, allSubcategories().toArray(String[]::new)),
            col("SkuId", Type.STRING, C, true),
            col("SkuMeter", Type.STRING, C, true),
            col("SkuPriceDetails", Type.JSON, C, true),
            col("SkuPriceId", Type.STRING, C, true),
            col("SubAccountId", Type.STRING, C, true),
            col("SubAccountName", Type.STRING, C, true),
            col("SubAccountType", Type.STRING, C, true),
            col("Tags", Type.JSON, C, true));

    private static final Map<String, Column> BY_NAME = byName();

    private static Map<String, Column> byName() {
        Map<String, Column> m = new LinkedHashMap<>();
        COLUMNS.forEach(c -> m.put(c.name(), c));
        return java.util.Collections.unmodifiableMap(m);
    }

    /** The FOCUS column of that exact name. */
    public static Optional<Column> column(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** FOCUS §Column naming: custom columns carry the {@code x_} prefix. */
    public static boolean custom(String name) {
        return name.startsWith("x_");
    }
}
