package dev.warden.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code warden} command. */
@Command(name = "warden",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {"Acceptable-use review and enforcement on a verifiable ledger.",
                "Warden works from business records only: it never collects, stores or analyses customer content."},
        subcommands = {ServeCommand.class, TokenCommand.class, InventoryCommand.class, UsageCommand.class, LedgerCommand.class,
                AuditCommand.class, GenerateCommand.class, RulesCommand.class, ScanCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code: 0 ok, 1 failed, 2 bad usage. */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // One line that says what is wrong and where; hints follow on the same line.
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            commandLine.getErr().println("warden: " + message.replace("\n", "; "));
            return 1;
        });
        return cli.execute(args);
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"warden " + (v == null ? "development build" : v)};
        }
    }
}
