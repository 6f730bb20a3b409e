package dev.warden.usage;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;

/** Small FOCUS 1.2 files for tests: a valid row to start from, changed column by column. */
final class FocusFiles {
    private FocusFiles() {
    }

    /** A valid Usage row: storage in eu-1 for acct-1/sub-1, the first hour of January 2024. */
    static Map<String, String> row(String... overrides) {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("BilledCost", "1.5");
        r.put("BillingAccountId", "acct-1");
        r.put("BillingAccountName", "Acme");
        r.put("BillingAccountType", "Business");
        r.put("BillingCurrency", "USD");
        r.put("BillingPeriodEnd", "2024-02-01T00:00:00Z");
        r.put("BillingPeriodStart", "2024-01-01T00:00:00Z");
        r.put("ChargeCategory", "Usage");
        r.put("ChargeClass", null);
        r.put("ChargeDescription", "Object storage, hot");
        r.put("ChargeFrequency", "Usage-Based");
        r.put("ChargePeriodEnd", "2024-01-01T01:00:00Z");
        r.put("ChargePeriodStart", "2024-01-01T00:00:00Z");
        r.put("ConsumedQuantity", "10");
        r.put("ConsumedUnit", "GB");
        r.put("ContractedCost", "1.5");
        r.put("EffectiveCost", "1.5");
        r.put("InvoiceIssuerName", "Example Cloud");
        r.put("ListCost", "2E-1");
        r.put("PricingQuantity", "10");
        r.put("PricingUnit", "GB");
        r.put("ProviderName", "Example Cloud");
        r.put("PublisherName", "Example Cloud");
        r.put("RegionId", "eu-1");
        r.put("RegionName", "Europe 1");
        r.put("ServiceCategory", "Storage");
        r.put("ServiceName", "Object Storage");
        r.put("ServiceSubcategory", "Object Storage");
        r.put("SubAccountId", "sub-1");
        r.put("SubAccountName", "Sub One");
        r.put("Tags", "{\"env\":\"prod\"}");
        for (int i = 0; i < overrides.length; i += 2) {
            r.put(overrides[i], overrides[i + 1]);
        }
        return r;
    }

    /**
     * CSV text of {@code rows} under the first row's columns. Null is an unquoted empty field,
     * an empty string is {@code ""}; values with commas, quotes or line breaks are quoted.
     */
    static String csv(List<Map<String, String>> rows) {
        List<String> header = new ArrayList<>(rows.get(0).keySet());
        StringBuilder out = new StringBuilder(String.join(",", header)).append('\n');
        for (Map<String, String> r : rows) {
            out.append(header.stream().map(h -> field(r.get(h))).collect(Collectors.joining(","))).append('\n');
        }
        return out.toString();
    }

    @SafeVarargs
    static String csv(Map<String, String>... rows) {
        return csv(Arrays.asList(rows));
    }

    private static String field(String v) {
        if (v == null) {
            return "";
        }
        if (v.isEmpty() || v.contains(",") || v.contains("\"") || v.contains("\n")) {
            return "\"" + v.replace("\"", "\"\"") + "\"";
        }
        return v;
    }

    static Path write(Path file, String text) {
        try {
            return Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path gzip(Path file, String text) {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A Parquet file with FOCUS's types (DOUBLE, TIMESTAMP, VARCHAR) made by DuckDB's own
     * {@code COPY} from the CSV of {@code rows}, with {@code replace} applied
     * ({@code SELECT * REPLACE (...)} expressions, may be empty).
     */
    static Path parquet(Path dir, String name, String replace, List<Map<String, String>> rows) {
        Path csv = write(dir.resolve(name + ".source.csv"), csv(rows));
        Path out = dir.resolve(name);
        List<String> casts = new ArrayList<>();
        for (String col : rows.get(0).keySet()) {
            Focus.column(col).ifPresent(f -> {
                if (f.type() == Focus.Type.DECIMAL) {
                    casts.add("CAST(\"" + col + "\" AS DOUBLE) AS \"" + col + "\"");
                } else if (f.type() == Focus.Type.DATETIME) {
                    casts.add("CAST(\"" + col + "\" AS TIMESTAMP) AS \"" + col + "\"");
                }
            });
        }
        if (!replace.isEmpty()) {
            casts.add(replace);
        }
        String cols = rows.get(0).keySet().stream().map(c -> "'" + c + "': 'VARCHAR'").collect(Collectors.joining(", "));
        try (Connection c = DriverManager.getConnection("jdbc:duckdb:"); Statement s = c.createStatement()) {
            s.execute("COPY (SELECT * REPLACE (" + String.join(", ", casts) + ") FROM read_csv('" + csv + "', header = true,"
                    + " auto_detect = false, columns = {" + cols + "})) TO '" + out + "' (FORMAT parquet)");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }
}
