package dev.warden.cli;

import dev.warden.usage.Generator;
import dev.warden.usage.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;

@Command(name = "generate", mixinStandardHelpOptions = true,
        description = {"Write synthetic FOCUS 1.2 usage for a fictional provider (\"Example Cloud\") as ZSTD Parquet,",
                "one file per month (focus-YYYY-MM.parquet): daily rows per subscription, service and region, with",
                "weekly cycles, trends and heavy-tailed customer sizes. Three special customers are always present:",
                "acct-video, acct-callcentre and acct-planted (the pattern the sample rules look for).",
                "The same options and seed give the same rows."})
final class GenerateCommand implements Runnable {
    @Option(names = "--customers", required = true, paramLabel = "<n>",
            description = "Billing accounts, the 3 special ones included (at least 10).")
    int customers;

    @Option(names = "--days", required = true, paramLabel = "<d>", description = "Days of usage from --start.")
    int days;

    @Option(names = "--out", required = true, paramLabel = "<dir>",
            description = "Directory to write the Parquet files to; files of the same name are replaced.")
    Path out;

    @Option(names = "--start", paramLabel = "<yyyy-mm-dd>", description = "First day, UTC (default: ${DEFAULT-VALUE}).")
    LocalDate start = Generator.Options.DEFAULT_START;

    @Option(names = "--seed", paramLabel = "<n>", description = "Seed (default: ${DEFAULT-VALUE}).")
    long seed = Generator.Options.DEFAULT_SEED;

    @Override
    public void run() {
        Generator.Result r;
        try {
            r = Generator.generate(new Generator.Options(customers, days, start, seed, out),
                    (file, rows) -> System.out.printf(Locale.ROOT, "%s: %,d rows%n", file, rows));
        } catch (UsageException e) {
            throw new UserException(e.getMessage(), e);
        }
        System.out.printf(Locale.ROOT, "wrote %d files to %s: %,d rows, %s to %s, in %.1f s (%,.0f rows/s)%n",
                r.files().size(), out, r.rows(), r.start(), r.end().minusDays(1), r.elapsed().toMillis() / 1000.0,
                r.rowsPerSecond());
    }
}
