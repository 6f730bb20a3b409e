package dev.warden.cli;

import dev.warden.event.Journal;
import dev.warden.event.Rejection;
import dev.warden.inventory.Inventory;
import dev.warden.principal.Principal;
import dev.warden.storage.Database;
import dev.warden.usage.FocusImport;
import dev.warden.usage.UsageException;
import dev.warden.usage.UsageStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

@Command(name = "usage", mixinStandardHelpOptions = true,
        description = "FOCUS usage records (business records only: quantities, services, regions, times).",
        subcommands = {UsageCommand.Import.class})
final class UsageCommand {

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Import FOCUS 1.x files (CSV, gzip CSV or Parquet, told apart by their bytes) into the usage store",
                    "<data-dir>/usage.duckdb, and register the customers, subscriptions, services and regions they name.",
                    "",
                    "Each file is all or nothing: a file that breaks a FOCUS rule is refused, naming the line (CSV) or",
                    "row (Parquet) and column, and nothing of it is kept; files imported before it stay imported. A file",
                    "already imported (same SHA-256) is skipped.",
                    "",
                    "Lenient mode (the default) repairs what real exports do and counts each repair: date-times without Z",
                    "or with a space, the text NULL, empty strings, enumerations in the wrong case, Tags as a JSON string,",
                    "numbers with a leading +, Parquet columns of another type. --strict refuses these too.",
                    "",
                    "Only FOCUS columns and the --allow-column x_ columns are kept; other columns are dropped and listed.",
                    "A column whose name or values look like content (messages, phone numbers, e-mail addresses,",
                    "transcripts, recordings) refuses the file, even if allowed: Warden never stores customer content.",
                    "",
                    "Services get operation classes from their ServiceCategory: Storage: provision, write, read, export,",
                    "delete; AI and Machine Learning: invoke; Compute: provision, invoke, admin; others: invoke, admin.",
                    "Customers get their type from BillingAccountType (business unless Government or Individual) and",
                    "their country from an allowed x_BillingCountry column, else ZZ."})
    static final class Import implements Runnable {
        @Mixin
        StoreOptions store;

        @Option(names = "--strict", description = "Refuse any deviation from FOCUS instead of repairing it.")
        boolean strict;

        @Option(names = "--allow-column", paramLabel = "<x_Name>",
                description = "Keep this custom column (x_ prefix); repeatable. x_BillingCountry gives customers' countries.")
        List<String> allowed = new ArrayList<>();

        @Parameters(arity = "1..*", paramLabel = "<file>")
        List<Path> files;

        @Override
        public void run() {
            FocusImport.Options options;
            try {
                options = new FocusImport.Options(strict ? FocusImport.Mode.STRICT : FocusImport.Mode.LENIENT, Set.copyOf(allowed));
            } catch (IllegalArgumentException e) {
                throw new UserException("--allow-column: " + e.getMessage(), e);
            }
            try (Database db = store.openDatabase(); Journal journal = store.openJournal(db);
                 UsageStore usage = UsageStore.open(store.dataDir)) {
                FocusImport importer = new FocusImport(usage, new Inventory(journal), Principal.SYSTEM, options);
                ProgressBar bar = new ProgressBar(System.err, System.console() != null);
                for (Path file : files) {
                    print(importer.importFile(file, bar));
                }
            } catch (UsageException | Rejection e) {
                throw new UserException(e.getMessage(), e);
            }
        }

        private static void print(FocusImport.Result r) {
            if (r.alreadyImported()) {
                System.out.println(r.file() + ": already imported (" + r.importId() + ", " + r.rows() + " rows), skipped");
                return;
            }
            System.out.println(r.file() + ": " + r.rows() + " rows, " + r.customers() + " customers, " + r.subscriptions()
                    + " subscriptions, " + r.services() + " services, " + r.regions() + " regions, period "
                    + (r.periodStart() == null ? "none" : r.periodStart() + " to " + r.periodEnd()) + " (" + r.importId() + ")");
            Inventory.Registered g = r.registered();
            System.out.println("  registered: " + g.customers() + " customers, " + g.subscriptions() + " subscriptions, "
                    + g.services() + " services, " + g.regions() + " regions; " + g.unchanged() + " already registered");
            if (!g.differing().isEmpty()) {
                System.out.println("  registered before with other values, left as they are: " + String.join(", ", g.differing()));
            }
            System.out.println("  warnings: " + (r.warnings().isEmpty() ? "none" : r.warnings().entrySet().stream()
                    .map(e -> e.getKey() + " " + e.getValue()).collect(Collectors.joining(", "))));
            if (!r.dropped().isEmpty()) {
                System.out.println("  dropped columns: " + String.join(", ", r.dropped()));
            }
        }
    }

    /** A progress bar on stderr: redrawn in place on a terminal, one line per finished step otherwise. */
    static final class ProgressBar implements FocusImport.Progress {
        private static final int WIDTH = 30;
        private final PrintStream err;
        private final boolean live;

        ProgressBar(PrintStream err, boolean live) {
            this.err = err;
            this.live = live;
        }

        @Override
        public synchronized void update(String file, String step, double percent) {
            int p = (int) Math.max(0, Math.min(100, percent));
            int filled = p * WIDTH / 100;
            String line = String.format("%s: %-24s [%s%s] %3d%%", file, step, "#".repeat(filled), " ".repeat(WIDTH - filled), p);
            if (p == 100) {
                err.print((live ? "\r" : "") + line + "\n");
            } else if (live) {
                err.print("\r" + line);
            }
            err.flush();
        }
    }
}
