package dev.warden.inventory;

import dev.warden.event.Journal;
import dev.warden.event.Rejection;
import dev.warden.event.Sql;
import dev.warden.ledger.note.SignerKey;
import dev.warden.principal.Principal;
import dev.warden.storage.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InventoryTest {
    @TempDir
    Path dir;

    @Test
    void registerAll_registersWhatIsNew_skipsWhatExists_namesWhatDiffers_andIsAllOrNothing() {
        try (Database db = Database.sqlite(dir); Journal journal = Journal.open(db, SignerKey.generate("inv.warden.local/log"))) {
            Inventory inventory = new Inventory(journal);
            inventory.registerCustomer(Principal.SYSTEM, "acct-1", "Acme", "business", "DE");

            Inventory.Registered r = inventory.registerAll(Principal.SYSTEM,
                    List.of(new Inventory.Customer("acct-1", "Acme", "business", "ZZ"),
                            new Inventory.Customer("acct-2", "Beta", "individual", "ZZ")),
                    List.of(new Inventory.Subscription("sub-1", "acct-2", "One")),
                    List.of(new Inventory.Service("object-storage", "Storage", Set.of("read", "write"))),
                    List.of(new Inventory.Region("eu-1", "Europe 1")));
            assertThat(r).isEqualTo(new Inventory.Registered(1, 1, 1, 1, 0, List.of("customer acct-1")));
            assertThat(journal.<Optional<String>>read(c -> Sql.one(c, "SELECT country FROM customer WHERE customer_id = 'acct-1'")))
                    .as("what an admin registered wins").contains("DE");

            long size = journal.ledger().size();
            Inventory.Registered again = inventory.registerAll(Principal.SYSTEM,
                    List.of(new Inventory.Customer("acct-2", "Beta", "individual", "ZZ")),
                    List.of(new Inventory.Subscription("sub-1", "acct-2", "One")),
                    List.of(new Inventory.Service("object-storage", "Storage", Set.of("read", "write"))),
                    List.of(new Inventory.Region("eu-1", "Europe 1")));
            assertThat(again).isEqualTo(new Inventory.Registered(0, 0, 0, 0, 4, List.of()));
            assertThat(journal.ledger().size()).as("a repeat appends nothing").isEqualTo(size);

            assertThatThrownBy(() -> inventory.registerAll(Principal.SYSTEM,
                    List.of(new Inventory.Customer("acct-3", "Gamma", "business", "ZZ")),
                    List.of(new Inventory.Subscription("sub-3", "acct-3", "Three")),
                    List.of(new Inventory.Service("bad service id", "Storage", Set.of("read"))),
                    List.of())).isInstanceOf(Rejection.class).hasMessageContaining("service");
            assertThat(journal.<Optional<String>>read(c -> Sql.one(c, "SELECT 1 FROM customer WHERE customer_id = 'acct-3'")))
                    .as("all or nothing").isEmpty();
            assertThat(journal.ledger().size()).isEqualTo(size);
        }
    }
}
