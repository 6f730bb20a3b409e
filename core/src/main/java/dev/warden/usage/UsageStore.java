package dev.warden.usage;

import org.duckdb.DuckDBConnection;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;

/**
 * The usage store: an embedded DuckDB database ({@code usage.duckdb} under the data directory)
 * whose relation {@value #TABLE} holds the imported FOCUS rows, one column per FOCUS column, named
 * exactly as FOCUS names it, plus the allowlisted {@code x_} columns, plus {@value #IMPORT_COLUMN}
 * naming the import a row came from. {@value #IMPORTS} records each imported file once, by content
 * hash, which is what makes re-imports idempotent.
 *
 * <p>{@value #TABLE} is a view over two parts (DESIGN.md: DuckDB reads Parquet in place): the
 * table {@value #ROWS}, into which the import inserts the rows of CSV files and of files it had to
 * repair or trim, and the Parquet files it kept as they were, copied under {@code usage/} in the
 * data directory, one per import. A Parquet file is kept only when it needs no repair, drops no
 * column and has exactly the store's column types, so both parts read the same.
 *
 * <p>Business records only: the import keeps FOCUS columns and allowlisted custom columns and
 * drops the rest, so nothing that looks like content reaches this table.
 *
 * <p>DuckDB allows one writing process per file. Not thread-safe: one connection, one user.
 */
public final class UsageStore implements AutoCloseable {
    /** The FOCUS rows, as readers see them: a view over {@value #ROWS} and the kept Parquet files. */
    public static final String TABLE = "focus";
    /** The rows the import inserted. */
    public static final String ROWS = "focus_rows";
    /** The directory under the data directory where kept Parquet files live. */
    public static final String FILES = "usage";
    /** The files imported so far. */
    public static final String IMPORTS = "focus_import";
    /** The column of {@value #TABLE} naming the import a row came from (not a FOCUS column). */
    public static final String IMPORT_COLUMN = "warden_import_id";
    /** The store's file name under the data directory. */
    public static final String FILE_NAME = "usage.duckdb";

    private final DuckDBConnection connection;
    private final Path dataDir; // null in memory: nothing is kept as a file then

    private UsageStore(DuckDBConnection connection, Path dataDir) {
        this.connection = connection;
        this.dataDir = dataDir;
    }

    /** Opens (creating if need be) the store in {@code dataDir}. */
    public static UsageStore open(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
            return open("jdbc:duckdb:" + dataDir.resolve(FILE_NAME).toAbsolutePath(), dataDir.toAbsolutePath());
        } catch (java.io.IOException e) {
            throw new UsageException("couldn't create the data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    /** An in-memory store, for tests and one-shot backtests over files. */
    public static UsageStore inMemory() {
        return open("jdbc:duckdb:", null);
    }

    private static UsageStore open(String url, Path dataDir) {
        try {
            Connection c = DriverManager.getConnection(url, new Properties());
            UsageStore store = new UsageStore((DuckDBConnection) c, dataDir);
            // Rows carry their own time and ids; no reader depends on the order they were inserted in.
            // Without this DuckDB keeps insertion order and defers compressing a large insert to the next
            // checkpoint, which measured 2-3x slower per imported Parquet file here (BENCHMARKS.md).
            store.execute("SET preserve_insertion_order = false");
            store.createSchema();
            return store;
        } catch (SQLException e) {
            throw new UsageException("couldn't open the usage store " + url.substring("jdbc:duckdb:".length())
                    + ": " + e.getMessage(), e);
        }
    }

    private void createSchema() throws SQLException {
        String columns = Focus.COLUMNS.stream().map(c -> quote(c.name()) + " " + c.type().sql())
                .collect(Collectors.joining(", "));
        try (Statement s = connection.createStatement()) {
            // A store written before the view existed has its rows in a table named focus.
            try (var rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name = '" + TABLE
                    + "' AND table_type = 'BASE TABLE'")) {
                rs.next();
                if (rs.getLong(1) > 0) {
                    s.execute("ALTER TABLE " + TABLE + " RENAME TO " + ROWS);
                }
            }
            s.execute("CREATE TABLE IF NOT EXISTS " + ROWS + " (" + columns + ", " + IMPORT_COLUMN + " VARCHAR NOT NULL)");
            s.execute("CREATE TABLE IF NOT EXISTS " + IMPORTS + " (import_id VARCHAR PRIMARY KEY, file_name VARCHAR NOT NULL,"
                    + " sha256 VARCHAR NOT NULL UNIQUE, row_count BIGINT NOT NULL, period_start TIMESTAMP,"
                    + " period_end TIMESTAMP, mode VARCHAR NOT NULL, imported_at TIMESTAMP NOT NULL)");
            s.execute("ALTER TABLE " + IMPORTS + " ADD COLUMN IF NOT EXISTS kept_file VARCHAR");
        }
        refreshView();
    }

    /** Whether the import may keep Parquet files in place: only a store with a data directory. */
    public boolean keepsFiles() {
        return dataDir != null;
    }

    /** Where a kept Parquet file of import {@code importId} lives. */
    public Path keptFile(String importId) {
        if (dataDir == null) {
            throw new IllegalStateException("an in-memory usage store keeps no files");
        }
        return dataDir.resolve(FILES).resolve(importId + ".parquet");
    }

    /**
     * (Re)defines the view {@value #TABLE} over {@value #ROWS} and every kept file. The import
     * calls it, in its transaction, after recording a kept file.
     */
    public void refreshView() {
        List<String> kept = new java.util.ArrayList<>();
        try (var s = connection.createStatement();
             var rs = s.executeQuery("SELECT import_id FROM " + IMPORTS + " WHERE kept_file IS NOT NULL ORDER BY import_id")) {
            while (rs.next()) {
                kept.add(literal(keptFile(rs.getString(1)).toString()));
            }
        } catch (SQLException e) {
            throw new UsageException("couldn't read the usage store's imports: " + e.getMessage(), e);
        }
        String files = kept.isEmpty() ? "" : " UNION ALL BY NAME SELECT * EXCLUDE (filename), regexp_extract(filename,"
                + " '([^/]+)[.]parquet$', 1) AS " + IMPORT_COLUMN + " FROM read_parquet([" + String.join(", ", kept)
                + "], union_by_name = true, filename = true)";
        execute("CREATE OR REPLACE VIEW " + TABLE + " AS SELECT * FROM " + ROWS + files);
    }

    /** A SQL string literal (SQL:2016 §5.3), quotes doubled. */
    public static String literal(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    /** Adds an allowlisted custom column to {@value #TABLE} if it is not there yet. */
    public void addCustomColumn(String name) {
        if (!Focus.custom(name) || !name.matches("x_[A-Za-z0-9_]{1,60}")) {
            throw new UsageException("\"" + name + "\" is not a custom column name (x_ then letters, digits or _)");
        }
        execute("ALTER TABLE " + ROWS + " ADD COLUMN IF NOT EXISTS " + quote(name) + " VARCHAR");
        refreshView();
    }

    /** The columns of {@value #TABLE} now, in order. */
    public List<String> columns() {
        try (var s = connection.createStatement();
             var rs = s.executeQuery("SELECT column_name FROM (DESCRIBE " + TABLE + ")")) {
            List<String> out = new java.util.ArrayList<>();
            while (rs.next()) {
                out.add(rs.getString(1));
            }
            return out;
        } catch (SQLException e) {
            throw new UsageException("couldn't read the usage store's columns: " + e.getMessage(), e);
        }
    }

    /** The store's one connection, for the import, the generator and the rules. */
    public DuckDBConnection connection() {
        return connection;
    }

    /** Runs one statement that returns nothing. */
    public void execute(String sql) {
        try (Statement s = connection.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    /** A SQL identifier in double quotes (SQL:2016 §5.2), doubling any quote inside. */
    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException e) {
            throw new UsageException("couldn't close the usage store: " + e.getMessage(), e);
        }
    }
}
