package dev.warden.storage;

import dev.warden.ledger.Ledger;
import dev.warden.ledger.note.SignerKey;
import dev.warden.ledger.tile.TileId;
import dev.warden.ledger.verifier.LogVerifier;
import dev.warden.ledger.verifier.TileSource;
import dev.warden.ledger.verifier.VerificationException;
import dev.warden.storage.TestDatabases.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Changes one random byte (a flipped bit, or any other value) of one random stored entry bundle,
 * hash tile or checkpoint, many times over, and requires the verifier to catch every single one.
 */
class TamperDetectionTest {
    @TempDir
    Path dir;

    /** Serves exactly what is stored, with no cache in between: what a verifier of the database sees. */
    private record StoredTiles(SqlLogStorage storage) implements TileSource {
        @Override
        public String checkpoint() throws IOException {
            return storage.checkpoint().orElseThrow(() -> new IOException("no checkpoint")).note();
        }

        @Override
        public byte[] tile(TileId id) throws IOException {
            return storage.tile(id.entries(), id.level(), id.index())
                    .orElseThrow(() -> new IOException(id.path() + " is not stored"));
        }
    }

    private record Row(String table, String where, long a, long b) {
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void everySingleByteChangeInStoredEntriesTilesOrCheckpoint_isDetected(Backend backend) throws Exception {
        long seed = Long.getLong("warden.tamper.seed", System.nanoTime());
        int mutations = Integer.getInteger("warden.tamper.mutations", 150);
        Random random = new Random(seed);
        SignerKey key = SignerKey.generate("tamper.warden.local/log");
        // 66,000 entries: full and partial tiles on levels 0 and 1, a partial tile on level 2.
        int size = 66_000;
        Supplier<Database> database = TestDatabases.create(backend, dir);
        try (Database db = database.get(); Ledger ledger = Ledger.open(new SqlLogStorage(db), key)) {
            List<CompletableFuture<Long>> f = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                f.add(ledger.appendAsync(("event " + i + " " + "x".repeat(i % 50)).getBytes(StandardCharsets.UTF_8)));
            }
            f.forEach(CompletableFuture::join);
        }
        try (Database db = database.get(); Connection c = db.dataSource().getConnection()) {
            LogVerifier verifier = LogVerifier.of(new StoredTiles(new SqlLogStorage(db)), key.verifierKey());
            String note = verifier.verify(Optional.empty()).note();
            List<Row> rows = rows(c);
            assertThat(rows.stream().filter(r -> r.table.equals("ledger_tile")).map(Row::a).distinct())
                    .as("tiles on levels 0, 1 and 2").containsExactlyInAnyOrder(0L, 1L, 2L);
            int detected = 0;
            for (int m = 0; m < mutations; m++) {
                Row row = switch (m % 3) {
                    case 0 -> pick(rows, "ledger_bundle", random);
                    case 1 -> pick(rows, "ledger_tile", random);
                    default -> new Row("ledger_checkpoint", "id = ?", 1, -1);
                };
                String column = row.table.equals("ledger_checkpoint") ? "note" : "data";
                byte[] original = read(c, row, column);
                byte[] forged = original.clone();
                int at = random.nextInt(forged.length);
                // Half the time one flipped bit, otherwise the byte replaced by any other value.
                forged[at] ^= (byte) (random.nextBoolean() ? 1 << random.nextInt(8) : 1 + random.nextInt(255));
                if (column.equals("note") && forged[at] == 0) {
                    // PostgreSQL text cannot hold NUL at all (it refuses the write), so that forgery
                    // cannot be stored; forge the byte as 0x01 instead, which it can.
                    forged[at] = 1;
                }
                write(c, row, column, forged);
                try {
                    assertThatThrownBy(() -> verifier.verify(Optional.of(note)))
                            .as("changed byte %d of %s where %s [%d,%d] (seed %d)", at, row.table, row.where,
                                    row.a, row.b, seed)
                            .isInstanceOf(VerificationException.class);
                    detected++;
                } finally {
                    write(c, row, column, original);
                }
            }
            assertThat(detected).isEqualTo(mutations);
            assertThat(verifier.verify(Optional.of(note)).checkpoint().size()).isEqualTo(size);
        }
    }

    private static Row pick(List<Row> rows, String table, Random random) {
        List<Row> of = rows.stream().filter(r -> r.table.equals(table)).toList();
        return of.get(random.nextInt(of.size()));
    }

    private static List<Row> rows(Connection c) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement("SELECT level, idx FROM ledger_tile");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row("ledger_tile", "level = ? AND idx = ?", rs.getLong(1), rs.getLong(2)));
            }
        }
        try (PreparedStatement s = c.prepareStatement("SELECT idx FROM ledger_bundle");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                rows.add(new Row("ledger_bundle", "idx = ?", rs.getLong(1), -1));
            }
        }
        return rows;
    }

    private static byte[] read(Connection c, Row row, String column) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("SELECT " + column + " FROM " + row.table + " WHERE " + row.where)) {
            bind(s, row, 1);
            try (ResultSet rs = s.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return column.equals("note") ? rs.getString(1).getBytes(StandardCharsets.UTF_8) : rs.getBytes(1);
            }
        }
    }

    private static void write(Connection c, Row row, String column, byte[] value) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("UPDATE " + row.table + " SET " + column + " = ? WHERE " + row.where)) {
            if (column.equals("note")) {
                s.setString(1, new String(value, StandardCharsets.UTF_8));
            } else {
                s.setBytes(1, value);
            }
            bind(s, row, 2);
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
    }

    private static void bind(PreparedStatement s, Row row, int from) throws SQLException {
        s.setLong(from, row.a);
        if (row.b >= 0) {
            s.setLong(from + 1, row.b);
        }
    }
}
