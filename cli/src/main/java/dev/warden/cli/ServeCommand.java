package dev.warden.cli;

import dev.warden.event.Journal;
import dev.warden.ledger.Ledger;
import dev.warden.schedule.Housekeeping;
import dev.warden.server.WardenServer;
import dev.warden.storage.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Serve the JSON API at http://<host>:<port>/v1 (bearer tokens: see warden token issue),",
                "its OpenAPI document at /openapi.json, and the ledger as C2SP tlog-tiles at /log.",
                "Runs until interrupted (Ctrl-C)."})
final class ServeCommand implements Runnable {
    @Mixin
    StoreOptions store;

    @Option(names = "--host", defaultValue = "127.0.0.1", description = "Address to listen on (default: ${DEFAULT-VALUE}).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Port to listen on, 0 for any free one (default: ${DEFAULT-VALUE}).")
    int port;

    @Override
    public void run() {
        if (port < 0 || port > 65535) {
            throw new UserException("--port " + port + " is not a TCP port (0-65535)");
        }
        CountDownLatch stop = new CountDownLatch(1);
        try (Database db = store.openDatabase();
             Journal journal = store.openJournal(db);
             WardenServer server = WardenServer.start(journal, host, port);
             Housekeeping housekeeping = Housekeeping.start(journal, Duration.ofSeconds(5))) {
            Ledger ledger = journal.ledger();
            String root = "http://" + host + ":" + server.port();
            System.out.println("warden: serving log \"" + ledger.origin() + "\" (size " + ledger.size()
                    + ") at " + root + WardenServer.LOG_PREFIX);
            System.out.println("warden: serving the API at " + root + WardenServer.API_PREFIX
                    + ", described at " + root + WardenServer.OPENAPI_PATH);
            System.out.println("warden: verifier key " + ledger.verifierKey().encode());
            Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
