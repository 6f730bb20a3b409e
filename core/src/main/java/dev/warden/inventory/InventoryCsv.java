package dev.warden.inventory;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import dev.warden.event.Journal;
import dev.warden.event.Rejection;
import dev.warden.event.Sql;
import dev.warden.principal.Principal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads inventory from CSV (RFC 4180, UTF-8, with a header row). The header says what the file
 * holds:
 * <ul>
 *   <li>{@code customer_id,name,type,country}</li>
 *   <li>{@code subscription_id,customer_id,name}</li>
 *   <li>{@code service,category,operations} (operations separated by {@code ;})</li>
 *   <li>{@code region,name}</li>
 * </ul>
 * A file is one command: all of its rows are registered, or none (a bad row names its row and
 * column). Rows already registered with the same values are skipped, so a re-import changes
 * nothing.
 */
public final class InventoryCsv {
    /** Files above this many rows are refused; split them. */
    public static final int MAX_ROWS = 100_000;

    private static final Map<Set<String>, String> KINDS = Map.of(
            Set.of("customer_id", "name", "type", "country"), "customers",
            Set.of("subscription_id", "customer_id", "name"), "subscriptions",
            Set.of("service", "category", "operations"), "services",
            Set.of("region", "name"), "regions");

    private final Journal journal;

    public InventoryCsv(Journal journal) {
        this.journal = journal;
    }

    /** What an import did. */
    public record Result(String kind, int registered, int unchanged) {
    }

    /**
     * Imports {@code csv} (the file's bytes) as {@code by}.
     *
     * @throws Rejection naming the row and column at fault; nothing was registered then
     */
    public Result load(Principal by, String source, byte[] csv) {
        List<Map<String, String>> rows = new ArrayList<>();
        Set<String> header;
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.FAIL_ON_MISSING_COLUMNS);
        mapper.enable(CsvParser.Feature.FAIL_ON_MISSING_HEADER_COLUMNS);
        CsvSchema schema = CsvSchema.emptySchema().withHeader().withStrictHeaders(false);
        try (MappingIterator<Map<String, String>> it = mapper.readerForMapOf(String.class).with(schema).readValues(csv)) {
            header = new LinkedHashSet<>(Arrays.asList(headerOf(csv)));
            while (it.hasNextValue()) {
                if (rows.size() == MAX_ROWS) {
                    throw Rejection.invalid(source, source + " has more than " + MAX_ROWS + " rows");
                }
                rows.add(it.nextValue());
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof Rejection r) {
                throw r;
            }
            throw Rejection.invalid(source, source + ": not CSV: " + e.getMessage().lines().findFirst().orElse(""));
        }
        String kind = KINDS.get(header);
        if (kind == null) {
            throw Rejection.invalid(source, source + ": header " + header + " is none of customer_id,name,type,country /"
                    + " subscription_id,customer_id,name / service,category,operations / region,name");
        }
        return journal.run(by, ctx -> {
            int registered = 0;
            int unchanged = 0;
            for (int i = 0; i < rows.size(); i++) {
                Map<String, String> r = rows.get(i);
                int line = i + 2;
                try {
                    if (exists(ctx, kind, r)) {
                        unchanged++;
                        continue;
                    }
                    switch (kind) {
                        case "customers" -> Inventory.registerCustomer(ctx, r.get("customer_id"), r.get("name"),
                                r.get("type"), r.get("country"));
                        case "subscriptions" -> Inventory.registerSubscription(ctx, r.get("subscription_id"),
                                r.get("customer_id"), r.get("name"));
                        case "services" -> Inventory.registerService(ctx, r.get("service"), r.get("category"),
                                Set.of(r.get("operations").split(";")));
                        default -> Inventory.registerRegion(ctx, r.get("region"), r.get("name"));
                    }
                    registered++;
                } catch (Rejection e) {
                    throw new Rejection(e.kind(), source + ":" + line + (e.field() == null ? "" : ":" + e.field()),
                            source + " row " + line + ": " + e.getMessage());
                }
            }
            return new Result(kind, registered, unchanged);
        });
    }

    /** A row whose id is registered with the same values is a re-import; with other values it is a conflict. */
    private static boolean exists(Journal.Context ctx, String kind, Map<String, String> r) {
        List<List<String>> found = switch (kind) {
            case "customers" -> Sql.rows(ctx.connection(), "SELECT name, customer_type, country FROM customer WHERE customer_id = ?",
                    r.get("customer_id"));
            case "subscriptions" -> Sql.rows(ctx.connection(), "SELECT customer_id, name FROM subscription WHERE subscription_id = ?",
                    r.get("subscription_id"));
            case "services" -> Sql.rows(ctx.connection(), "SELECT category FROM service WHERE service = ?", r.get("service"));
            default -> Sql.rows(ctx.connection(), "SELECT name FROM region WHERE region = ?", r.get("region"));
        };
        if (found.isEmpty()) {
            return false;
        }
        List<String> expected = switch (kind) {
            case "customers" -> List.of(r.get("name"), r.get("type"), r.get("country"));
            case "subscriptions" -> List.of(r.get("customer_id"), r.get("name"));
            case "services" -> List.of(r.get("category"));
            default -> List.of(r.get("name"));
        };
        if (!found.get(0).equals(expected)) {
            throw Rejection.conflict("already registered with other values " + found.get(0));
        }
        return true;
    }

    private static String[] headerOf(byte[] csv) {
        String text = new String(csv, java.nio.charset.StandardCharsets.UTF_8);
        String first = text.lines().findFirst().orElse("").strip();
        if (first.startsWith("\uFEFF")) {
            first = first.substring(1);
        }
        return Arrays.stream(first.split(",")).map(String::strip).toArray(String[]::new);
    }
}
