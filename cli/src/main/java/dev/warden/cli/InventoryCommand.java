package dev.warden.cli;

import dev.warden.event.Journal;
import dev.warden.event.Rejection;
import dev.warden.inventory.InventoryCsv;
import dev.warden.principal.Principal;
import dev.warden.storage.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

@Command(name = "inventory", mixinStandardHelpOptions = true,
        description = "The provider's inventory: customers, subscriptions, services and regions.",
        subcommands = {InventoryCommand.Import.class})
final class InventoryCommand {

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Import inventory CSV files (header customer_id,name,type,country; subscription_id,customer_id,name;",
                    "service,category,operations with operations separated by ';'; or region,name). Each file is all or",
                    "nothing; rows already registered with the same values are skipped."})
    static final class Import implements Runnable {
        @Mixin
        StoreOptions store;

        @Parameters(arity = "1..*", paramLabel = "<file.csv>")
        List<Path> files;

        @Override
        public void run() {
            try (Database db = store.openDatabase(); Journal journal = Journal.open(db, store.signerKey())) {
                InventoryCsv csv = new InventoryCsv(journal);
                for (Path file : files) {
                    byte[] bytes;
                    try {
                        bytes = Files.readAllBytes(file);
                    } catch (IOException e) {
                        throw new UserException("couldn't read \"" + file + "\": " + e.getMessage(), e);
                    }
                    try {
                        InventoryCsv.Result r = csv.load(Principal.SYSTEM, file.toString(), bytes);
                        System.out.println(file + ": " + r.registered() + " " + r.kind() + " registered, "
                                + r.unchanged() + " unchanged");
                    } catch (Rejection e) {
                        throw new UserException(e.getMessage(), e);
                    }
                }
            }
        }
    }
}
