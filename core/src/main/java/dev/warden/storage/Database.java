package dev.warden.storage;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Warden's database: an embedded SQLite file by default, PostgreSQL in production. Opening it
 * applies the schema migrations (Flyway). Both speak the same SQL subset; {@link #dialect()}
 * names the one in use where a statement must differ.
 *
 * <p>Thread-safe: a connection pool (HikariCP).
 */
public final class Database implements AutoCloseable {
    /** The SQL dialects Warden supports. */
    public enum Dialect { SQLITE, POSTGRESQL }

    private final HikariDataSource pool;
    private final Dialect dialect;

    private Database(HikariDataSource pool, Dialect dialect) {
        this.pool = pool;
        this.dialect = dialect;
    }

    /**
     * Opens (creating if needed) the SQLite database {@code warden.db} in {@code dataDir}.
     * WAL journal with {@code synchronous=FULL}: a commit is on disk when it returns.
     */
    public static Database sqlite(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new StorageException("couldn't create data directory \"" + dataDir + "\": " + e.getMessage(), e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        config.setBusyTimeout(30_000);
        config.enforceForeignKeys(true);
        // BEGIN IMMEDIATE: a write transaction takes the write lock up front, so two writers queue
        // instead of failing when one upgrades a read to a write.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl("jdbc:sqlite:" + dataDir.resolve("warden.db").toAbsolutePath());
        HikariConfig hikari = new HikariConfig();
        hikari.setDataSource(sqlite);
        hikari.setPoolName("warden-sqlite");
        hikari.setMaximumPoolSize(8);
        return open(hikari, Dialect.SQLITE);
    }

    /** Connects to PostgreSQL at {@code jdbcUrl} ({@code jdbc:postgresql://...}). */
    public static Database postgres(String jdbcUrl, String user, String password) {
        if (!jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new StorageException("couldn't open database: \"" + jdbcUrl
                    + "\" is not a jdbc:postgresql: URL");
        }
        HikariConfig hikari = new HikariConfig();
        hikari.setJdbcUrl(jdbcUrl);
        hikari.setUsername(user);
        hikari.setPassword(password);
        hikari.setPoolName("warden-postgres");
        hikari.setMaximumPoolSize(16);
        return open(hikari, Dialect.POSTGRESQL);
    }

    private static Database open(HikariConfig config, Dialect dialect) {
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StorageException("couldn't open database: " + e.getMessage(), e);
        }
        try {
            Flyway.configure()
                    .dataSource(pool)
                    .locations("classpath:db/migration")
                    .placeholders(Map.of("bytes", dialect == Dialect.SQLITE ? "BLOB" : "BYTEA"))
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new StorageException("couldn't migrate database schema: " + e.getMessage(), e);
        }
        return new Database(pool, dialect);
    }

    public DataSource dataSource() {
        return pool;
    }

    public Dialect dialect() {
        return dialect;
    }

    @Override
    public void close() {
        pool.close();
    }
}
