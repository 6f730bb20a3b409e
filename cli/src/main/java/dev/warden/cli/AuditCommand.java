package dev.warden.cli;

import dev.warden.event.Replay;
import dev.warden.storage.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Checks an auditor runs against the ledger.",
        subcommands = {AuditCommand.ReplayCmd.class})
final class AuditCommand {

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = {"Verify the stored ledger, rebuild every projection in an empty database from the ledger's",
                    "envelopes and the private bodies alone (each body checked against its envelope), and compare",
                    "the digest of the rebuilt state with the live one. Exits 1 if they differ."})
    static final class ReplayCmd implements Runnable {
        @Mixin
        StoreOptions store;

        @Override
        public void run() {
            Path scratch;
            try {
                scratch = Files.createTempDirectory("warden-replay-");
            } catch (IOException e) {
                throw new UserException("couldn't create a scratch database: " + e.getMessage(), e);
            }
            Replay.Result result;
            try (Database live = store.openDatabase(); Database target = Database.sqlite(scratch)) {
                result = Replay.run(live, store.signerKey().verifierKey(), target);
            } catch (IllegalStateException e) {
                throw new UserException(e.getMessage(), e);
            }
            System.out.println("events replayed: " + result.events());
            System.out.println("replayed state:  " + result.replayed().hex());
            System.out.println("live state:      " + result.live().hex());
            if (!result.matches()) {
                throw new UserException("the replayed state differs from the live state: a projection was changed"
                        + " outside the ledger");
            }
            System.out.println("ok: the ledger alone rebuilds the live state");
        }
    }
}
