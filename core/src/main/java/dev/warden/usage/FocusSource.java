package dev.warden.usage;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * One FOCUS file as DuckDB reads it: its format (told by its first bytes, not its name), its
 * SHA-256, its columns, the {@code read_csv} or {@code read_parquet} call over it, and how to
 * name a row: the file line for CSV, the row number for Parquet.
 *
 * <p>CSV is read with DuckDB's reader and no sniffing: Java reads only the header line, to give
 * {@code read_csv} every column as VARCHAR (the sniffer can guess a malformed file's dialect
 * wrong), so the checks see the text exactly as written. {@code allow_quoted_nulls=false} keeps
 * {@code ""} an empty string, which FOCUS forbids as a missing value, apart from an unquoted empty
 * field, CSV's only way to write null.
 */
final class FocusSource {
    enum Format { CSV, CSV_GZIP, PARQUET }

    /** A column of the file and its DuckDB type (always VARCHAR for CSV). */
    record Column(String name, String type) {
    }

    private static final Pattern CSV_ERROR_LINE = Pattern.compile("CSV Error on Line: (\\d+)");

    final Path file;
    final String label;
    final Format format;
    final String sha256;
    final List<Column> columns;

    private FocusSource(Path file, Format format, String sha256, List<Column> columns) {
        this.file = file;
        this.label = file.getFileName() == null ? file.toString() : file.getFileName().toString();
        this.format = format;
        this.sha256 = sha256;
        this.columns = List.copyOf(columns);
    }

    static FocusSource open(Connection c, Path file) {
        byte[] head = new byte[4];
        String sha256;
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            DigestInputStream din = new DigestInputStream(in, md);
            int n = din.readNBytes(head, 0, 4);
            if (n < 4) {
                throw new FocusImport.Rejected(file.toString(), null, null, "is empty or too short to be CSV or Parquet");
            }
            din.transferTo(java.io.OutputStream.nullOutputStream());
            sha256 = HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            throw new UsageException("couldn't read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
        Format format = head[0] == 'P' && head[1] == 'A' && head[2] == 'R' && head[3] == '1' ? Format.PARQUET
                : (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b ? Format.CSV_GZIP : Format.CSV;
        List<Column> columns = format == Format.PARQUET ? parquetColumns(c, file)
                : csvHeader(file, format == Format.CSV_GZIP).stream().map(n -> new Column(n, "VARCHAR")).toList();
        Set<String> seen = new HashSet<>();
        for (Column col : columns) {
            if (!seen.add(col.name())) {
                throw new FocusImport.Rejected(file.toString(), null, col.name(), "the column appears twice in the header");
            }
        }
        return new FocusSource(file, format, sha256, columns);
    }

    /** The file as a DuckDB table function. */
    String scan() {
        return scan(false);
    }

    /** {@code inOrder}: a CSV file read by one thread, so that rows come in file order. */
    private String scan(boolean inOrder) {
        String path = literal(file.toAbsolutePath().toString());
        if (format == Format.PARQUET) {
            return "read_parquet(" + path + ")";
        }
        String cols = columns.stream().map(col -> literal(col.name()) + ": 'VARCHAR'").collect(Collectors.joining(", "));
        return "read_csv(" + path + ", auto_detect = false, header = true, delim = ',', quote = '\"', escape = '\"',"
                + " allow_quoted_nulls = false, compression = '" + (format == Format.CSV_GZIP ? "gzip" : "none") + "',"
                + (inOrder ? " parallel = false," : "") + " columns = {" + cols + "})";
    }

    /**
     * Where the first row for which {@code predicate} (SQL over the file's columns) holds is:
     * "line N" of a CSV file (counting the header and the line breaks inside quoted values), or
     * "row N" of a Parquet file (1-based). Runs only when a file is being rejected.
     */
    Optional<String> firstRow(Connection c, String predicate) throws SQLException {
        if (format == Format.PARQUET) {
            String path = literal(file.toAbsolutePath().toString());
            Optional<Long> row = single(c, "SELECT min(file_row_number) FROM read_parquet(" + path
                    + ", file_row_number = true) WHERE " + predicate);
            return row.map(r -> "row " + (r + 1));
        }
        // read_csv has no row number, so number the rows as one thread reads them, in file order.
        String numbered = "(SELECT row_number() OVER () AS warden_row, * FROM " + scan(true) + ")";
        Optional<Long> ordinal = single(c, "SELECT min(warden_row) FROM " + numbered + " WHERE " + predicate);
        if (ordinal.isEmpty()) {
            return Optional.empty();
        }
        String breaks = columns.stream().map(col -> "coalesce(length(" + UsageStore.quote(col.name()) + ") - length(replace("
                + UsageStore.quote(col.name()) + ", chr(10), '')), 0)").collect(Collectors.joining(" + "));
        long before = single(c, "SELECT sum(" + breaks + ") FROM " + numbered + " WHERE warden_row < " + ordinal.get())
                .orElse(0L);
        return Optional.of("line " + (1 + ordinal.get() + before));
    }

    /** "line N" from DuckDB's message for a malformed CSV record, if it names one. */
    static Optional<String> csvErrorLine(String message) {
        Matcher m = CSV_ERROR_LINE.matcher(message == null ? "" : message);
        return m.find() ? Optional.of("line " + m.group(1)) : Optional.empty();
    }

    /**
     * Why DuckDB found a CSV record malformed, without the record itself (it could hold anything):
     * the last line before "Possible fixes".
     */
    static String csvErrorReason(String message) {
        List<String> lines = message == null ? List.of() : message.lines().toList();
        String reason = "malformed CSV";
        for (String line : lines) {
            if (line.startsWith("Possible fixes")) {
                break;
            }
            if (!line.isBlank() && !line.startsWith("Original Line") && !line.contains("CSV Error on Line")) {
                reason = line.strip();
            }
        }
        return reason;
    }

    private static Optional<Long> single(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            long v = rs.getLong(1);
            return rs.wasNull() ? Optional.empty() : Optional.of(v);
        }
    }

    private static List<Column> parquetColumns(Connection c, Path file) {
        String sql = "SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM read_parquet("
                + literal(file.toAbsolutePath().toString()) + "))";
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            List<Column> out = new ArrayList<>();
            while (rs.next()) {
                out.add(new Column(rs.getString(1), rs.getString(2)));
            }
            return out;
        } catch (SQLException e) {
            throw new FocusImport.Rejected(file.toString(), null, null, "not a readable Parquet file: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** The header line's column names (RFC 4180 quoting; a leading byte-order mark is dropped). */
    private static List<String> csvHeader(Path file, boolean gzip) {
        String line;
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = gzip ? new GZIPInputStream(raw) : raw;
             BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            line = r.readLine();
        } catch (IOException e) {
            throw new FocusImport.Rejected(file.toString(), "line 1", null, "couldn't read the header: " + e.getMessage());
        }
        if (line == null || line.isBlank()) {
            throw new FocusImport.Rejected(file.toString(), "line 1", null, "has no header line");
        }
        if (line.startsWith("\uFEFF")) {
            line = line.substring(1);
        }
        List<String> names = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                names.add(cur.toString().strip());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        if (quoted) {
            throw new FocusImport.Rejected(file.toString(), "line 1", null, "the header has an unterminated quote");
        }
        names.add(cur.toString().strip());
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).isEmpty()) {
                throw new FocusImport.Rejected(file.toString(), "line 1", null, "header column " + (i + 1) + " has no name");
            }
        }
        return names;
    }

    static String literal(String s) {
        return UsageStore.literal(s);
    }
}
