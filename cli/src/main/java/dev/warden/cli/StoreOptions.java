package dev.warden.cli;

import dev.warden.event.Journal;
import dev.warden.ledger.Ledger;
import dev.warden.ledger.note.SignerKey;
import dev.warden.storage.Database;
import dev.warden.storage.SqlLogStorage;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Where Warden keeps its state: the data directory, the database and the log's signing key. */
final class StoreOptions {
    @Option(names = "--data-dir", paramLabel = "<dir>",
            defaultValue = "${env:WARDEN_DATA_DIR:-warden-data}",
            description = "Data directory: the SQLite database, the usage store (usage.duckdb) and the log key live here"
                    + " (default: ${DEFAULT-VALUE}; env WARDEN_DATA_DIR).")
    Path dataDir;

    @Option(names = "--db-url", paramLabel = "<jdbc-url>", defaultValue = "${env:WARDEN_DB_URL}",
            description = "PostgreSQL instead of the embedded SQLite: jdbc:postgresql://host/db (env WARDEN_DB_URL). "
                    + "The password is read from env WARDEN_DB_PASSWORD only, never from the command line.")
    String dbUrl;

    @Option(names = "--db-user", paramLabel = "<user>", defaultValue = "${env:WARDEN_DB_USER}",
            description = "PostgreSQL user (env WARDEN_DB_USER).")
    String dbUser;

    @Option(names = "--key", paramLabel = "<file>",
            description = "The log's signing key, PRIVATE+KEY+... (default: <data-dir>/log.key).")
    Path key;

    Database openDatabase() {
        if (dbUrl != null && !dbUrl.isBlank()) {
            return Database.postgres(dbUrl, dbUser, System.getenv("WARDEN_DB_PASSWORD"));
        }
        return Database.sqlite(dataDir);
    }

    Path keyFile() {
        return key != null ? key : dataDir.resolve("log.key");
    }

    SignerKey signerKey() {
        Path file = keyFile();
        try {
            return SignerKey.parse(Files.readString(file, StandardCharsets.UTF_8).strip());
        } catch (NoSuchFileException e) {
            throw new UserException("no signing key at \"" + file + "\"\nhint: create one with "
                    + "warden ledger keygen --origin <your.domain/log> --out " + dataDir);
        } catch (IOException e) {
            throw new UserException("couldn't read signing key \"" + file + "\": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new UserException("couldn't read signing key \"" + file + "\": " + e.getMessage(), e);
        }
    }

    /** Opens the ledger in the configured database; the caller closes both. */
    Ledger openLedger(Database db) {
        return Ledger.open(new SqlLogStorage(db), signerKey());
    }

    /** Opens the journal (commands, events, projections) over the ledger in {@code db}; the caller closes both. */
    Journal openJournal(Database db) {
        return Journal.open(db, signerKey());
    }
}
