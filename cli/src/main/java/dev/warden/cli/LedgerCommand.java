package dev.warden.cli;

import dev.warden.ledger.Ledger;
import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.note.SignerKey;
import dev.warden.ledger.note.VerifierKey;
import dev.warden.ledger.receipt.Receipt;
import dev.warden.ledger.receipt.ReceiptException;
import dev.warden.ledger.verifier.HttpTileSource;
import dev.warden.ledger.verifier.LogVerifier;
import dev.warden.ledger.verifier.VerificationException;
import dev.warden.storage.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

@Command(name = "ledger", mixinStandardHelpOptions = true,
        description = "The verifiable ledger: keys, appends, receipts and independent verification.",
        subcommands = {LedgerCommand.Keygen.class, LedgerCommand.Append.class, LedgerCommand.ReceiptCmd.class,
                LedgerCommand.CheckReceipt.class, LedgerCommand.Verify.class, DemoCommand.class})
final class LedgerCommand {

    @Command(name = "keygen", mixinStandardHelpOptions = true,
            description = {"Create a log signing key (Ed25519, C2SP signed-note format).",
                    "Writes <out>/log.key (PRIVATE+KEY+..., mode 600) and <out>/log.vkey (the verifier key to publish)."})
    static final class Keygen implements Runnable {
        @Option(names = "--origin", required = true, paramLabel = "<origin>",
                description = "The log's origin, also the key name, e.g. warden.example.com/log.")
        String origin;

        @Option(names = "--out", paramLabel = "<dir>", defaultValue = "${env:WARDEN_DATA_DIR:-warden-data}",
                description = "Directory to write the keys to (default: ${DEFAULT-VALUE}).")
        Path out;

        @Option(names = "--force", description = "Overwrite an existing key.")
        boolean force;

        @Override
        public void run() {
            SignerKey key;
            try {
                key = SignerKey.generate(origin);
            } catch (IllegalArgumentException e) {
                throw new UserException("couldn't create key for origin \"" + origin + "\": " + e.getMessage(), e);
            }
            Path priv = out.resolve("log.key");
            Path pub = out.resolve("log.vkey");
            if (Files.exists(priv) && !force) {
                throw new UserException("a key already exists at \"" + priv + "\"; hint: pass --force to replace it"
                        + " (a log signed by the old key can then no longer be written)");
            }
            try {
                writeKeys(key, out);
            } catch (IOException e) {
                throw new UserException("couldn't write keys to \"" + out + "\": " + e.getMessage(), e);
            }
            System.out.println("signer key:   " + priv + " (keep it secret)");
            System.out.println("verifier key: " + pub);
            System.out.println(key.verifierKey().encode());
        }
    }

    @Command(name = "append", mixinStandardHelpOptions = true,
            description = "Append entries (one per argument, UTF-8) to the log and print their indices once durable.")
    static final class Append implements Runnable {
        @Mixin
        StoreOptions store;

        @picocli.CommandLine.Parameters(arity = "1..*", paramLabel = "<entry>", description = "Entry text.")
        List<String> entries;

        @Override
        public void run() {
            try (Database db = store.openDatabase(); Ledger ledger = store.openLedger(db)) {
                var futures = entries.stream()
                        .map(e -> ledger.appendAsync(e.getBytes(StandardCharsets.UTF_8))).toList();
                for (var f : futures) {
                    System.out.println(f.join());
                }
            }
        }
    }

    @Command(name = "receipt", mixinStandardHelpOptions = true,
            description = "Print a C2SP tlog-proof receipt for an entry, against the latest checkpoint.")
    static final class ReceiptCmd implements Runnable {
        @Mixin
        StoreOptions store;

        @Option(names = "--index", required = true, description = "Zero-based index of the entry.")
        long index;

        @Option(names = "--out", paramLabel = "<file>", description = "Write the receipt here (.tlog-proof) instead of stdout.")
        Path out;

        @Override
        public void run() {
            try (Database db = store.openDatabase(); Ledger ledger = store.openLedger(db)) {
                if (index < 0 || index >= ledger.size()) {
                    throw new UserException("no entry " + index + ": the log has " + ledger.size() + " entries");
                }
                String text = ledger.receipt(index).encode();
                if (out == null) {
                    System.out.print(text);
                } else {
                    Files.writeString(out, text, StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                throw new UserException("couldn't write receipt to \"" + out + "\": " + e.getMessage(), e);
            }
        }
    }

    @Command(name = "check-receipt", mixinStandardHelpOptions = true,
            description = "Verify a receipt offline: the entry, the receipt and the verifier key are all it needs.")
    static final class CheckReceipt implements Runnable {
        @Option(names = "--receipt", required = true, paramLabel = "<file>") Path receipt;
        @Option(names = "--entry", required = true, paramLabel = "<file>", description = "The entry's exact bytes.") Path entry;
        @Option(names = "--vkey", required = true, paramLabel = "<file>") Path vkey;

        @Override
        public void run() {
            VerifierKey key = readVerifierKey(vkey);
            try {
                Receipt r = Receipt.parse(Files.readString(receipt, StandardCharsets.UTF_8));
                Checkpoint cp = r.verify(Files.readAllBytes(entry), key);
                System.out.println("ok: entry " + r.index() + " is in log \"" + cp.origin() + "\" at size " + cp.size());
            } catch (IOException e) {
                throw new UserException("couldn't read " + e.getMessage(), e);
            } catch (ReceiptException e) {
                throw new UserException(e.getMessage(), e);
            }
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Verify a whole log over HTTP: the checkpoint signature, every tile and entry bundle, the root,",
                    "and consistency with the checkpoint accepted last time (kept in the --state file)."})
    static final class Verify implements Runnable {
        @Option(names = "--url", required = true, paramLabel = "<prefix>", description = "The log's tlog-tiles prefix, e.g. http://127.0.0.1:8080/log.")
        URI url;

        @Option(names = "--vkey", required = true, paramLabel = "<file>", description = "The log's verifier key file.")
        Path vkey;

        @Option(names = "--state", paramLabel = "<file>",
                description = "Where to remember the last accepted checkpoint (default: ~/.local/state/warden/<origin>.checkpoint).")
        Path state;

        @Override
        public void run() {
            VerifierKey key = readVerifierKey(vkey);
            Path stateFile = state != null ? state : defaultState(key.name());
            Optional<String> previous;
            try {
                previous = Files.exists(stateFile) ? Optional.of(Files.readString(stateFile, StandardCharsets.UTF_8))
                        : Optional.empty();
            } catch (IOException e) {
                throw new UserException("couldn't read verifier state \"" + stateFile + "\": " + e.getMessage(), e);
            }
            LogVerifier.Result result;
            try {
                result = LogVerifier.of(new HttpTileSource(url), key).verify(previous);
            } catch (VerificationException e) {
                throw new UserException(e.getMessage(), e);
            }
            try {
                Files.createDirectories(stateFile.toAbsolutePath().getParent());
                Path tmp = stateFile.resolveSibling(stateFile.getFileName() + ".tmp");
                Files.writeString(tmp, result.note(), StandardCharsets.UTF_8);
                Files.move(tmp, stateFile, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UserException("verified, but couldn't save state \"" + stateFile + "\": " + e.getMessage(), e);
            }
            Checkpoint cp = result.checkpoint();
            System.out.println("ok: log \"" + cp.origin() + "\" verified at size " + cp.size() + ", root " + cp.root()
                    + " (" + result.tiles() + " hash tiles, " + result.bundles() + " entry bundles"
                    + previous.map(p -> ", consistent with the checkpoint accepted before").orElse("") + ")");
        }

        private static Path defaultState(String origin) {
            String base = System.getenv("XDG_STATE_HOME");
            Path dir = base != null && !base.isBlank() ? Path.of(base)
                    : Path.of(System.getProperty("user.home"), ".local", "state");
            return dir.resolve("warden").resolve(origin.replaceAll("[^A-Za-z0-9.-]", "_") + ".checkpoint");
        }
    }

    /** Writes {@code dir/log.key} (owner-only) and {@code dir/log.vkey}. */
    static void writeKeys(SignerKey key, Path dir) throws IOException {
        Path priv = dir.resolve("log.key");
        Files.createDirectories(dir);
        Files.deleteIfExists(priv);
        Files.createFile(priv, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(priv, key.encode() + "\n", StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("log.vkey"), key.verifierKey().encode() + "\n", StandardCharsets.UTF_8);
    }

    static VerifierKey readVerifierKey(Path file) {
        try {
            return VerifierKey.parse(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new UserException("couldn't read verifier key \"" + file + "\": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserException("couldn't read verifier key \"" + file + "\": " + e.getMessage(), e);
        }
    }
}
