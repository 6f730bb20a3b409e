package dev.warden.event;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Parameterised SQL in one line per statement; SQL failures surface as {@link IllegalStateException}. */
public final class Sql {
    private Sql() {
    }

    public static int update(Connection c, String sql, Object... args) {
        try (PreparedStatement s = prepare(c, sql, args)) {
            return s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("couldn't run \"" + sql + "\": " + e.getMessage(), e);
        }
    }

    /** The first column of the first row, as a string, if there is a row. */
    public static Optional<String> one(Connection c, String sql, Object... args) {
        try (PreparedStatement s = prepare(c, sql, args); ResultSet rs = s.executeQuery()) {
            return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
        } catch (SQLException e) {
            throw new IllegalStateException("couldn't run \"" + sql + "\": " + e.getMessage(), e);
        }
    }

    /** Every row, each as its columns rendered as strings (null stays null). */
    public static List<List<String>> rows(Connection c, String sql, Object... args) {
        try (PreparedStatement s = prepare(c, sql, args); ResultSet rs = s.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>(n);
                for (int i = 1; i <= n; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException("couldn't run \"" + sql + "\": " + e.getMessage(), e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... args) throws SQLException {
        PreparedStatement s = c.prepareStatement(sql);
        for (int i = 0; i < args.length; i++) {
            if (args[i] instanceof byte[] b) {
                s.setBytes(i + 1, b);
            } else {
                s.setObject(i + 1, args[i]);
            }
        }
        return s;
    }
}
