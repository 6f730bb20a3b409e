package dev.warden.review;

import dev.warden.event.Envelope;
import dev.warden.event.Journal;
import dev.warden.event.Rejection;
import dev.warden.event.Replay;
import dev.warden.event.Sql;
import dev.warden.inventory.Inventory;
import dev.warden.ledger.note.SignerKey;
import dev.warden.ledger.tile.TileId;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;
import dev.warden.storage.Database;
import dev.warden.storage.TestDatabases;
import dev.warden.storage.TestDatabases.Backend;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Commands append events and update projections in one transaction; a replay of the ledger and
 * the bodies rebuilds the same state; the public log names no customer.
 */
class ReviewJournalTest {
    static final SignerKey KEY = SignerKey.generate("review.warden.local/log");
    static final Principal ADMIN = Principal.of("ada", Role.ADMIN);
    static final Principal ANALYST = Principal.of("ann", Role.ANALYST);
    static final Principal REVIEWER = Principal.of("rex", Role.REVIEWER);
    static final Principal OUTSIDER = Principal.of("oz", Role.REVIEWER);

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void reportToEvidence_isLogged_andReplayRebuildsTheSameState(Backend backend) throws Exception {
        try (Database db = TestDatabases.create(backend, dir.resolve("live")).get();
             Journal journal = Journal.open(db, KEY)) {
            Inventory inventory = new Inventory(journal);
            Review review = new Review(journal);
            inventory.registerCustomer(ADMIN, "acct-7731", "Northwind Signals Directorate", "government", "XA");
            for (int i = 1; i <= 3; i++) {
                inventory.registerSubscription(ADMIN, "sub-" + i, "acct-7731", "Ops " + i);
            }
            inventory.registerService(ADMIN, "object-storage", "Storage", Set.of("write", "read", "export", "delete"));
            inventory.registerRegion(ADMIN, "xa-east-1", "XA East");

            String report = review.receiveReport(ANALYST, "press", "Investigation: intercepted calls stored and transcribed",
                    List.of("https://news.example/investigation"), "acct-7731");
            String caseId = review.openCase(ANALYST, "acct-7731", "Alleged mass surveillance", List.of(report));
            review.assignReviewer(ANALYST, caseId, "rex", false);
            review.addNote(REVIEWER, caseId, "Storage growth concentrated in one region.");
            String evidence = review.attachEvidence(ANALYST, caseId, "billing-extract", "Storage usage 2025",
                    "billing export", "month,pb\n2025-01,3.0\n2025-06,11.5\n".getBytes(StandardCharsets.UTF_8));
            byte[] read = review.readEvidence(REVIEWER, evidence, "assess storage growth");
            assertThat(new String(read, StandardCharsets.UTF_8)).contains("11.5");

            // Access transparency: the read is an event with its projection.
            List<List<String>> accesses = journal.read(c -> Sql.rows(c, "SELECT evidence_id, principal, purpose FROM evidence_access"));
            assertThat(accesses).containsExactly(List.of(evidence, "rex", "assess storage growth"));
            java.util.Optional<String> status = journal.read(c -> Sql.one(c, "SELECT status FROM review_case WHERE case_id = ?", caseId));
            assertThat(status).contains("under-review");

            // The public log: envelopes only, no customer name or identifier anywhere in it.
            long size = journal.ledger().size();
            assertThat(size).isEqualTo(13);
            StringBuilder publicBytes = new StringBuilder();
            for (long b = 0; b * 256 < size; b++) {
                publicBytes.append(new String(journal.ledger().tile(TileId.bundle(b, TileId.widthAt(0, b, size)))
                        .orElseThrow(), StandardCharsets.ISO_8859_1));
            }
            publicBytes.append(journal.ledger().checkpoint());
            for (String secret : List.of("acct-7731", "Northwind", "sub-1", "surveillance", "intercepted", "rex", "ann",
                    "11.5", caseId, report, evidence)) {
                assertThat(publicBytes.toString()).as("public log mentions %s", secret).doesNotContain(secret);
            }
            for (long i = 0; i < size; i++) {
                assertThat(Envelope.decode(journal.ledger().entry(i)).type()).isNotBlank();
            }

            try (Database target = Database.sqlite(dir.resolve("replay"))) {
                Replay.Result result = Replay.run(db, KEY.verifierKey(), target);
                assertThat(result.events()).isEqualTo(size);
                assertThat(result.matches()).as("replayed %s, live %s", result.replayed(), result.live()).isTrue();
            }
            // A silent edit of a projection shows up as a different digest.
            try (java.sql.Connection c = db.dataSource().getConnection()) {
                Sql.update(c, "UPDATE customer SET name = 'Someone Else' WHERE customer_id = 'acct-7731'");
            }
            try (Database target = Database.sqlite(dir.resolve("replay-2"))) {
                assertThat(Replay.run(db, KEY.verifierKey(), target).matches()).isFalse();
            }
            // A rewritten private body no longer matches its public envelope.
            try (java.sql.Connection c = db.dataSource().getConnection()) {
                Sql.update(c, "UPDATE event_body SET body = ? WHERE idx = 0",
                        "{\"v\":1}".getBytes(StandardCharsets.UTF_8));
            }
            try (Database target = Database.sqlite(dir.resolve("replay-3"))) {
                assertThatThrownBy(() -> Replay.run(db, KEY.verifierKey(), target))
                        .isInstanceOf(IllegalStateException.class).hasMessageContaining("its envelope says");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void badInput_isRejectedNamingTheField_andWritesNothing(Backend backend) throws Exception {
        try (Database db = TestDatabases.create(backend, dir.resolve("live")).get();
             Journal journal = Journal.open(db, KEY)) {
            Inventory inventory = new Inventory(journal);
            Review review = new Review(journal);
            inventory.registerCustomer(ADMIN, "acct-1", "One", "business", "DE");
            inventory.registerCustomer(ADMIN, "acct-2", "Two", "business", "DE");
            String other = review.receiveReport(ANALYST, "ngo", "about two", List.of(), "acct-2");
            long size = journal.ledger().size();

            assertThatThrownBy(() -> inventory.registerSubscription(ADMIN, "sub-x", "acct-404", "x"))
                    .isInstanceOf(Rejection.class).hasMessageContaining("no customer \"acct-404\"")
                    .extracting(e -> ((Rejection) e).field()).isEqualTo("customerId");
            assertThatThrownBy(() -> review.openCase(ANALYST, "acct-1", "t", List.of(other)))
                    .isInstanceOf(Rejection.class).hasMessageContaining("about another customer")
                    .extracting(e -> ((Rejection) e).field()).isEqualTo("reportIds[0]");
            assertThatThrownBy(() -> review.receiveReport(ANALYST, "tabloid", "x", List.of(), null))
                    .isInstanceOf(Rejection.class).hasMessageContaining("is not one of: press, ngo")
                    .extracting(e -> ((Rejection) e).field()).isEqualTo("sourceType");
            assertThatThrownBy(() -> review.receiveReport(REVIEWER, "press", "x", List.of(), null))
                    .isInstanceOf(Rejection.class).hasMessageContaining("needs the role analyst")
                    .extracting(e -> ((Rejection) e).kind()).isEqualTo(Rejection.Kind.FORBIDDEN);
            String caseId = review.openCase(ANALYST, "acct-1", "t", List.of());
            size = journal.ledger().size();
            assertThatThrownBy(() -> review.attachEvidence(ANALYST, caseId, "call-recording", "x", "y", new byte[] {1}))
                    .isInstanceOf(Rejection.class).hasMessageContaining("kind")
                    .extracting(e -> ((Rejection) e).field()).isEqualTo("kind");
            assertThatThrownBy(() -> review.addNote(OUTSIDER, caseId, "hello"))
                    .isInstanceOf(Rejection.class).hasMessageContaining("does not review case");
            assertThatThrownBy(() -> review.changeStatus(ANALYST, caseId, "decided"))
                    .isInstanceOf(Rejection.class).hasMessageContaining("can't go from open to decided");
            assertThat(journal.ledger().size()).as("rejections append nothing").isEqualTo(size);
            List<List<String>> notes = journal.read(c -> Sql.rows(c, "SELECT note_id FROM case_note"));
            assertThat(notes).isEmpty();
        }
    }
}
