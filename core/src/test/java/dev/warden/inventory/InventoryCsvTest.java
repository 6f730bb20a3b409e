package dev.warden.inventory;

import dev.warden.event.Journal;
import dev.warden.event.Rejection;
import dev.warden.event.Sql;
import dev.warden.ledger.note.SignerKey;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;
import dev.warden.storage.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InventoryCsvTest {
    static final Principal ADMIN = Principal.of("ada", Role.ADMIN);

    @TempDir
    Path dir;

    @Test
    void csvImport_registersAllRows_isIdempotent_andABadRowRejectsTheWholeFileNamingItsRow() {
        try (Database db = Database.sqlite(dir); Journal journal = Journal.open(db, SignerKey.generate("csv.warden.local/log"))) {
            InventoryCsv csv = new InventoryCsv(journal);
            byte[] customers = ("customer_id,name,type,country\n"
                    + "acct-1,\"Acme, Inc.\",business,DE\n"
                    + "acct-2,Ministry of Examples,government,XA\n").getBytes(StandardCharsets.UTF_8);
            assertThat(csv.load(ADMIN, "customers.csv", customers)).isEqualTo(new InventoryCsv.Result("customers", 2, 0));
            long size = journal.ledger().size();
            assertThat(csv.load(ADMIN, "customers.csv", customers)).isEqualTo(new InventoryCsv.Result("customers", 0, 2));
            assertThat(journal.ledger().size()).as("a re-import appends nothing").isEqualTo(size);

            byte[] subscriptions = ("subscription_id,customer_id,name\n"
                    + "sub-1,acct-1,One\n"
                    + "sub-2,acct-404,Two\n").getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> csv.load(ADMIN, "subs.csv", subscriptions))
                    .isInstanceOf(Rejection.class).hasMessage("subs.csv row 3: no customer \"acct-404\"")
                    .extracting(e -> ((Rejection) e).field()).isEqualTo("subs.csv:3:customerId");
            List<List<String>> subs = journal.read(c -> Sql.rows(c, "SELECT subscription_id FROM subscription"));
            assertThat(subs).as("all or nothing").isEmpty();
            assertThat(journal.ledger().size()).isEqualTo(size);

            assertThatThrownBy(() -> csv.load(ADMIN, "x.csv", "a,b\n1,2\n".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(Rejection.class).hasMessageContaining("is none of");
            assertThatThrownBy(() -> csv.load(ADMIN, "r.csv", "region,name\nxa-1\n".getBytes(StandardCharsets.UTF_8)))
                    .isInstanceOf(Rejection.class).hasMessageContaining("r.csv");
            assertThat(csv.load(ADMIN, "services.csv", "service,category,operations\nobject-storage,Storage,read;write\n"
                    .getBytes(StandardCharsets.UTF_8))).isEqualTo(new InventoryCsv.Result("services", 1, 0));
        }
    }
}
