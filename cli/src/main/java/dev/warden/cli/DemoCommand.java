package dev.warden.cli;

import dev.warden.ledger.Ledger;
import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.note.SignerKey;
import dev.warden.ledger.receipt.Receipt;
import dev.warden.ledger.receipt.ReceiptException;
import dev.warden.ledger.tree.Hasher;
import dev.warden.ledger.verifier.HttpTileSource;
import dev.warden.ledger.verifier.LogVerifier;
import dev.warden.ledger.verifier.VerificationException;
import dev.warden.server.WardenServer;
import dev.warden.storage.Database;
import dev.warden.storage.SqlLogStorage;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The ledger round trip, end to end, on the embedded default: a key, concurrent appends with
 * group commit into SQLite, tlog-tiles over HTTP, a full verification, an offline receipt, and
 * a tampered byte caught.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the ledger round trip on the embedded default (SQLite): create a key, append entries,",
                "serve tlog-tiles on a local port, verify them, print and check a receipt, and show tampering caught."})
final class DemoCommand implements Runnable {
    @Option(names = "--entries", defaultValue = "1000", description = "How many entries to append (default: ${DEFAULT-VALUE}).")
    int entries;

    @Option(names = "--data-dir", paramLabel = "<dir>", description = "Keep the demo's data here (default: a new temporary directory).")
    Path dataDir;

    @Option(names = "--port", defaultValue = "0", description = "Port to serve on (default: any free port).")
    int port;

    @Override
    public void run() {
        if (entries < 1 || entries > 10_000_000) {
            throw new UserException("--entries " + entries + " is not in 1..10000000");
        }
        try {
            Path dir = dataDir != null ? dataDir : Files.createTempDirectory("warden-demo-");
            demo(dir);
        } catch (IOException e) {
            throw new UserException("couldn't create the demo's data directory: " + e.getMessage(), e);
        }
    }

    private void demo(Path dir) throws IOException {
        SignerKey key = SignerKey.generate("demo.warden.local/log");
        Path vkeyFile = dir.resolve("log.vkey");
        Files.createDirectories(dir);
        LedgerCommand.writeKeys(key, dir);
        System.out.println("Warden ledger demo: a publicly verifiable log, end to end");
        System.out.println("  data directory: " + dir.toAbsolutePath());
        System.out.println("  verifier key:   " + key.verifierKey().encode());

        try (Database db = Database.sqlite(dir);
             Ledger ledger = Ledger.open(new SqlLogStorage(db), key)) {
            long start = System.nanoTime();
            long base = ledger.size();
            List<CompletableFuture<Long>> pending = new ArrayList<>(entries);
            for (int i = 0; i < entries; i++) {
                pending.add(ledger.appendAsync(envelope(i)));
            }
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("1. appended %d entries durably to SQLite in %.2f s (%d transactions, group commit)%n",
                    entries, seconds, ledger.commits());

            try (WardenServer server = WardenServer.start(ledger, "127.0.0.1", port)) {
                URI url = URI.create("http://127.0.0.1:" + server.port() + WardenServer.LOG_PREFIX);
                System.out.println("2. serving C2SP tlog-tiles at " + url);

                LogVerifier.Result result = verify(url, key, Optional.empty());
                System.out.println("3. verified over HTTP: signature, " + result.tiles() + " hash tiles, "
                        + result.bundles() + " entry bundles, root " + result.checkpoint().root()
                        + " at size " + result.checkpoint().size());

                long index = base + entries / 2;
                Receipt receipt = ledger.receipt(index);
                Path receiptFile = dir.resolve("entry-" + index + ".tlog-proof");
                Files.writeString(receiptFile, receipt.encode(), StandardCharsets.UTF_8);
                byte[] entry = ledger.entry(index);
                Checkpoint cp = Receipt.parse(receipt.encode()).verify(entry, key.verifierKey());
                System.out.println("4. receipt for entry " + index + " (" + receiptFile.getFileName() + "), "
                        + "checked offline with the verifier key alone against size " + cp.size() + ":");
                System.out.println();
                System.out.print(receipt.encode().indent(4));
                System.out.println();

                if (ledger.size() >= 256) {
                    tamper(db, url, key, result.note());
                } else {
                    System.out.println("5. (tamper check skipped: it needs a full entry bundle, 256 entries or more)");
                }
            } catch (ReceiptException e) {
                throw new UserException("demo receipt did not verify: " + e.getMessage(), e);
            }
        }
        System.out.println("Done. To serve and verify this log yourself:");
        System.out.println("  ./warden serve --data-dir " + dir + " --port 8080");
        System.out.println("  ./warden ledger verify --url http://127.0.0.1:8080/log --vkey " + vkeyFile);
    }

    /** A public envelope as later issues will log: type, time, and a salted hash of a private body. */
    private static byte[] envelope(int i) {
        String bodyHash = Hasher.get().leaf(("demo body " + i).getBytes(StandardCharsets.UTF_8)).base64();
        return ("{\"v\":1,\"type\":\"demo.entry\",\"at\":\"" + Instant.now() + "\",\"bodyHash\":\"" + bodyHash + "\"}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static LogVerifier.Result verify(URI url, SignerKey key, Optional<String> previous) {
        try {
            return LogVerifier.of(new HttpTileSource(url), key.verifierKey()).verify(previous);
        } catch (VerificationException e) {
            throw new UserException("demo log did not verify: " + e.getMessage(), e);
        }
    }

    /** Flips one byte of the first stored entry bundle, shows the verifier catch it, and restores it. */
    private static void tamper(Database db, URI url, SignerKey key, String accepted) {
        byte[] original;
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement read = c.prepareStatement("SELECT data FROM ledger_bundle WHERE idx = 0");
             ResultSet rs = read.executeQuery()) {
            rs.next();
            original = rs.getBytes(1);
            byte[] forged = original.clone();
            forged[forged.length / 2] ^= 0x01;
            write(c, forged);
            try {
                LogVerifier.of(new HttpTileSource(url), key.verifierKey()).verify(Optional.of(accepted));
                throw new UserException("tampering went undetected: the verifier accepted a forged entry bundle");
            } catch (VerificationException e) {
                System.out.println("5. flipped one bit of a stored entry in the database; the verifier refuses:");
                System.out.println("     " + e.getMessage().replace("\n", "\n     "));
            } finally {
                write(c, original);
            }
        } catch (SQLException e) {
            throw new UserException("demo couldn't reach its database: " + e.getMessage(), e);
        }
    }

    private static void write(Connection c, byte[] data) throws SQLException {
        try (PreparedStatement w = c.prepareStatement("UPDATE ledger_bundle SET data = ? WHERE idx = 0")) {
            w.setBytes(1, data);
            w.executeUpdate();
        }
    }
}
