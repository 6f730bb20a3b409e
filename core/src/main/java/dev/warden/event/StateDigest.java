package dev.warden.event;

import dev.warden.ledger.tree.Hash;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.util.List;

/**
 * A SHA-256 over every projection table, row by row in key order, each value as text: equal
 * digests mean equal state, whichever database computed them.
 */
public final class StateDigest {
    private StateDigest() {
    }

    public static Hash of(Connection c) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
        for (String table : Projector.TABLES) {
            md.update(("table " + table + "\n").getBytes(StandardCharsets.UTF_8));
            for (List<String> row : Sql.rows(c, "SELECT * FROM " + table)) {
                StringBuilder line = new StringBuilder();
                for (String v : row) {
                    // length-prefixed, so no value can imitate a separator; null is distinct from ""
                    line.append(v == null ? "-" : v.length() + ":" + v).append(',');
                }
                md.update(line.append('\n').toString().getBytes(StandardCharsets.UTF_8));
            }
        }
        return new Hash(md.digest());
    }
}
