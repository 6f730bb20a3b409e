package dev.warden.storage;

import dev.warden.ledger.Ledger;
import dev.warden.ledger.note.SignerKey;
import dev.warden.storage.TestDatabases.Backend;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Steps run in the ledger's own transaction: their rows and their entries commit together, a
 * failing step leaves nothing behind, and racing steps see each other's writes in order.
 */
class LedgerStepTest {
    private static final SignerKey KEY = SignerKey.generate("steps.warden.local/log");

    @TempDir
    Path dir;

    private static void createTable(Database db) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE step_row (id VARCHAR(40) PRIMARY KEY, state VARCHAR(20) NOT NULL)");
        }
    }

    private static void insert(Ledger.Appender log, String id, String state) {
        try (PreparedStatement s = ((Connection) log.handle()).prepareStatement(
                "INSERT INTO step_row (id, state) VALUES (?, ?)")) {
            s.setString(1, id);
            s.setString(2, state);
            s.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> rows(Database db) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = db.dataSource().getConnection();
             PreparedStatement s = c.prepareStatement("SELECT id, state FROM step_row ORDER BY id");
             ResultSet rs = s.executeQuery()) {
            while (rs.next()) {
                out.add(rs.getString(1) + "=" + rs.getString(2));
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aFailingStep_leavesNoRowAndNoEntry_whileTheRestOfItsBatchCommits(Backend backend) throws Exception {
        try (Database db = TestDatabases.create(backend, dir).get();
             Ledger ledger = Ledger.open(new SqlLogStorage(db), KEY)) {
            createTable(db);
            List<CompletableFuture<Long>> futures = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String id = "row-" + (100 + i);
                boolean fails = i % 3 == 1;
                futures.add(ledger.submit(log -> {
                    insert(log, id, "new");
                    long index = log.append(id.getBytes(StandardCharsets.UTF_8));
                    if (fails) {
                        throw new IllegalArgumentException("step " + id + " refused");
                    }
                    return index;
                }));
            }
            List<String> kept = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                if (i % 3 == 1) {
                    int n = i;
                    assertThatThrownBy(futures.get(n)::join).isInstanceOf(CompletionException.class)
                            .hasCauseInstanceOf(IllegalArgumentException.class);
                } else {
                    long index = futures.get(i).join();
                    assertThat(new String(ledger.entry(index), StandardCharsets.UTF_8)).isEqualTo("row-" + (100 + i));
                    kept.add("row-" + (100 + i) + "=new");
                }
            }
            assertThat(ledger.size()).isEqualTo(20);
            assertThat(rows(db)).containsExactlyElementsOf(kept);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void racingSteps_onTheSameRow_applyExactlyOnce(Backend backend) throws Exception {
        try (Database db = TestDatabases.create(backend, dir).get();
             Ledger ledger = Ledger.open(new SqlLogStorage(db), KEY)) {
            createTable(db);
            ledger.execute(log -> {
                insert(log, "decision-1", "proposed");
                return log.append("proposed".getBytes(StandardCharsets.UTF_8));
            });
            List<CompletableFuture<Boolean>> approvals = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                int approver = i;
                approvals.add(ledger.submit(log -> {
                    Connection c = (Connection) log.handle();
                    try (PreparedStatement s = c.prepareStatement(
                            "UPDATE step_row SET state = 'approved' WHERE id = 'decision-1' AND state = 'proposed'")) {
                        if (s.executeUpdate() == 0) {
                            return false;
                        }
                    } catch (SQLException e) {
                        throw new IllegalStateException(e);
                    }
                    log.append(("approved by " + approver).getBytes(StandardCharsets.UTF_8));
                    return true;
                }));
            }
            long applied = approvals.stream().map(CompletableFuture::join).filter(b -> b).count();
            assertThat(applied).isEqualTo(1);
            assertThat(ledger.size()).isEqualTo(2);
            assertThat(rows(db)).containsExactly("decision-1=approved");
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aStepWhoseStatementFails_isUndoneToItsSavepoint_andTheTransactionGoesOn(Backend backend) throws Exception {
        try (Database db = TestDatabases.create(backend, dir).get();
             Ledger ledger = Ledger.open(new SqlLogStorage(db), KEY)) {
            createTable(db);
            // The step's second insert violates the primary key after its append. On PostgreSQL a
            // failed statement aborts the transaction; rolling back to the step's savepoint revives it.
            assertThatThrownBy(() -> ledger.execute(log -> {
                insert(log, "dup", "one");
                log.append("dup".getBytes(StandardCharsets.UTF_8));
                insert(log, "dup", "two");
                return null;
            })).isInstanceOf(IllegalStateException.class);
            assertThat(rows(db)).isEmpty();
            assertThat(ledger.size()).isZero();
            long index = ledger.execute(log -> {
                insert(log, "after", "ok");
                return log.append("after".getBytes(StandardCharsets.UTF_8));
            });
            assertThat(index).isZero();
            assertThat(rows(db)).containsExactly("after=ok");
        }
    }
}
