package dev.warden.cli;

import dev.warden.detection.Detection;
import dev.warden.detection.RuleException;
import dev.warden.detection.RulePack;
import dev.warden.detection.RulePackLoader;
import dev.warden.usage.UsageException;
import dev.warden.usage.UsageStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "Detection rule packs: check one, or backtest it over imported usage.",
        subcommands = {RulesCommand.Check.class, RulesCommand.Backtest.class})
final class RulesCommand {

    static RulePack load(Path pack) {
        try {
            return RulePackLoader.load(pack);
        } catch (RuleException e) {
            throw new UserException(e.getMessage(), e);
        }
    }

    /** A day (2025-07-01, midnight UTC) or an instant (2025-07-01T12:00:00Z). */
    static Instant instant(String option, String value) {
        try {
            return value.contains("T") ? Instant.parse(value) : LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            throw new UserException(option + " \"" + value + "\" is neither a date (2025-07-01) nor an instant"
                    + " (2025-07-01T00:00:00Z)", e);
        }
    }

    /** The usage store in the data directory, which must exist: rules read what `warden usage import` wrote. */
    static UsageStore openStore(StoreOptions store) {
        if (!Files.exists(store.dataDir.resolve(UsageStore.FILE_NAME))) {
            throw new UserException("no usage store at \"" + store.dataDir.resolve(UsageStore.FILE_NAME)
                    + "\"\nhint: import FOCUS files first with warden usage import --data-dir " + store.dataDir + " <files>");
        }
        try {
            return UsageStore.open(store.dataDir);
        } catch (UsageException e) {
            throw new UserException(e.getMessage(), e);
        }
    }

    static String values(Map<String, Double> values) {
        return values.entrySet().stream().map(e -> e.getKey() + "=" + format(e.getValue())).collect(Collectors.joining(" "));
    }

    private static String format(Double v) {
        if (v == null) {
            return "none";
        }
        return Math.abs(v) >= 1e6 || (v != 0 && Math.abs(v) < 1e-3) ? String.format("%.3g", v) : String.format("%.2f", v);
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Validate a rule pack: its YAML, filters, measures, baselines and CEL conditions. Errors name",
                    "file:line. Prints each rule with its content hash; --sql also prints the one SQL query the pack",
                    "compiles to, as evaluated at --at."})
    static final class Check implements Runnable {
        @Parameters(index = "0", paramLabel = "<pack.yaml>")
        Path pack;

        @Option(names = "--sql", description = "Also print the compiled SQL.")
        boolean sql;

        @Option(names = "--at", paramLabel = "<date>", defaultValue = "2025-07-01",
                description = "The instant the printed SQL evaluates at (default: ${DEFAULT-VALUE}).")
        String at;

        @Override
        public void run() {
            RulePack p = load(pack);
            System.out.println(pack + ": pack " + p.name() + " version " + p.version() + ", " + p.rules().size() + " rules, ok");
            for (RulePack.Rule r : p.rules()) {
                System.out.printf("  %-32s %-6s %-12s window %3dd  sha256:%s%n", r.id(), r.severity().name().toLowerCase(),
                        r.subject().name().toLowerCase(), r.window().toDays(), r.hash().substring(0, 16));
            }
            if (sql) {
                System.out.println(Detection.sql(p, instant("--at", at), null));
            }
        }
    }

    @Command(name = "backtest", mixinStandardHelpOptions = true,
            description = {"Run a rule pack over imported usage as if at each step from --from to --to, and list what",
                    "would have been flagged, window by window. Creates nothing."})
    static final class Backtest implements Runnable {
        @Mixin
        StoreOptions store;

        @Parameters(index = "0", paramLabel = "<pack.yaml>")
        Path pack;

        @Option(names = "--from", required = true, paramLabel = "<date>", description = "The first window's end.")
        String from;

        @Option(names = "--to", required = true, paramLabel = "<date>", description = "Stop before this instant.")
        String to;

        @Option(names = "--step", defaultValue = "30", paramLabel = "<days>",
                description = "Days between windows (default: ${DEFAULT-VALUE}).")
        int stepDays;

        @Override
        public void run() {
            RulePack p = load(pack);
            if (stepDays < 1) {
                throw new UserException("--step must be at least 1 day, not " + stepDays);
            }
            Instant a = instant("--from", from);
            Instant b = instant("--to", to);
            if (!a.isBefore(b)) {
                throw new UserException("--from " + from + " is not before --to " + to);
            }
            try (UsageStore s = openStore(store)) {
                List<Detection.Window> windows = new Detection(s).backtest(p, a, b, Duration.ofDays(stepDays));
                int total = 0;
                for (Detection.Window w : windows) {
                    System.out.println(w.at() + ": " + w.hits().size() + " flagged");
                    for (Detection.Hit h : w.hits()) {
                        System.out.println("  " + h.rule().id() + "  " + h.rule().subject().name().toLowerCase() + " "
                                + h.subject() + " (customer " + h.customerId() + ")  " + values(h.values()));
                    }
                    total += w.hits().size();
                }
                System.out.println(windows.size() + " windows, " + total + " hits; nothing was recorded");
            } catch (UsageException e) {
                throw new UserException(e.getMessage(), e);
            }
        }
    }
}
