package dev.warden.cli;

import dev.warden.access.Tokens;
import dev.warden.event.Journal;
import dev.warden.ledger.Ledger;
import dev.warden.ledger.note.SignerKey;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;
import dev.warden.server.WardenServer;
import dev.warden.storage.Database;
import dev.warden.storage.SqlLogStorage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The warden command, run in process as a user would run it, against real files and a real server. */
class CliTest {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run warden(String... args) {
        PrintStream out = System.out;
        PrintStream err = System.err;
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(o, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(e, true, StandardCharsets.UTF_8));
            int exit = Main.run(args);
            return new Run(exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(out);
            System.setErr(err);
        }
    }

    @Test
    void everyCommand_answersHelp() {
        List<List<String>> paths = new ArrayList<>();
        collect(new CommandLine(new Main()), new ArrayList<>(), paths);
        assertThat(paths).hasSizeGreaterThanOrEqualTo(8);
        for (List<String> path : paths) {
            List<String> args = new ArrayList<>(path);
            args.add("--help");
            Run r = warden(args.toArray(String[]::new));
            assertThat(r.exit()).as("%s", args).isZero();
            assertThat(r.out()).as("%s", args).contains("Usage: warden");
        }
    }

    private static void collect(CommandLine cl, List<String> prefix, List<List<String>> into) {
        into.add(prefix);
        cl.getSubcommands().forEach((name, sub) -> {
            if (!name.equals("help")) {
                List<String> p = new ArrayList<>(prefix);
                p.add(name);
                collect(sub, p, into);
            }
        });
    }

    @Test
    void keygen_writesAnOwnerOnlySignerKeyAndAVerifierKey_andWillNotOverwrite() throws Exception {
        Run r = warden("ledger", "keygen", "--origin", "cli.warden.local/log", "--out", dir.toString());
        assertThat(r.exit()).isZero();
        assertThat(Files.readString(dir.resolve("log.key"))).startsWith("PRIVATE+KEY+cli.warden.local/log+");
        assertThat(Files.getPosixFilePermissions(dir.resolve("log.key"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(dir.resolve("log.vkey"))).startsWith("cli.warden.local/log+");
        assertThat(r.out()).doesNotContain("PRIVATE+KEY");

        Run again = warden("ledger", "keygen", "--origin", "cli.warden.local/log", "--out", dir.toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err().strip()).startsWith("warden: a key already exists").doesNotContain("\n");
    }

    @Test
    void keygen_withAnOriginThatCannotBeAKeyName_failsOnOneLine() {
        Run r = warden("ledger", "keygen", "--origin", "has space", "--out", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("warden: couldn't create key for origin \"has space\"").doesNotContain("\n");
    }

    @Test
    void appendReceiptAndCheckReceipt_roundTripThroughFiles() throws Exception {
        assertThat(warden("ledger", "keygen", "--origin", "cli.warden.local/log", "--out", dir.toString()).exit()).isZero();
        Run appended = warden("ledger", "append", "--data-dir", dir.toString(), "first", "second", "third");
        assertThat(appended.exit()).as(appended.err()).isZero();
        assertThat(appended.out().lines()).containsExactly("0", "1", "2");
        Path receipt = dir.resolve("e1.tlog-proof");
        assertThat(warden("ledger", "receipt", "--data-dir", dir.toString(), "--index", "1", "--out", receipt.toString()).exit())
                .isZero();
        Path entry = dir.resolve("entry");
        Files.writeString(entry, "second");
        Run ok = warden("ledger", "check-receipt", "--receipt", receipt.toString(), "--entry", entry.toString(),
                "--vkey", dir.resolve("log.vkey").toString());
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("ok: entry 1 is in log \"cli.warden.local/log\" at size 3");

        Files.writeString(entry, "forged");
        Run bad = warden("ledger", "check-receipt", "--receipt", receipt.toString(), "--entry", entry.toString(),
                "--vkey", dir.resolve("log.vkey").toString());
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.err().strip()).startsWith("warden: couldn't verify receipt for entry 1").doesNotContain("\n");

        Run missing = warden("ledger", "receipt", "--data-dir", dir.toString(), "--index", "3");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err().strip()).isEqualTo("warden: no entry 3: the log has 3 entries");
    }

    @Test
    void serveWithoutAKey_failsWithAHint() {
        Run r = warden("serve", "--data-dir", dir.toString(), "--port", "0");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("warden: no signing key at").contains("hint: create one with warden ledger keygen")
                .doesNotContain("\n");
    }

    @Test
    void tokenIssue_printsASecretTheApiAccepts_andTokenRevoke_stopsIt() throws Exception {
        assertThat(warden("ledger", "keygen", "--origin", "cli.warden.local/log", "--out", dir.toString()).exit()).isZero();
        Run issued = warden("token", "issue", "--data-dir", dir.toString(), "--principal", "ada", "--role", "admin",
                "--role", "auditor", "--ttl-days", "7");
        assertThat(issued.exit()).as(issued.err()).isZero();
        String secret = issued.out().strip();
        assertThat(secret).matches("wdn_[A-Za-z0-9_-]{43}");
        assertThat(issued.err()).startsWith("warden: issued token tok-").contains("for \"ada\" (admin, auditor)")
                .contains("warden token revoke tok-").doesNotContain(secret);
        String tokenId = issued.err().replaceAll("(?s).*revoke tok-(\\S+).*", "tok-$1").strip();

        HttpClient http = HttpClient.newHttpClient();
        try (Database db = Database.sqlite(dir);
             Journal journal = Journal.open(db, SignerKey.parse(Files.readString(dir.resolve("log.key")).strip()));
             WardenServer server = WardenServer.start(journal, "127.0.0.1", 0)) {
            HttpRequest entry = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/ledger/entries/0"))
                    .header("Authorization", "Bearer " + secret).build();
            HttpResponse<String> r = http.send(entry, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).contains("\"type\":\"token.issued\"");

            Run revoked = warden("token", "revoke", "--data-dir", dir.toString(), tokenId);
            assertThat(revoked.exit()).as(revoked.err()).isZero();
            assertThat(revoked.out().strip()).isEqualTo("revoked " + tokenId);
            assertThat(http.send(entry, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(401);
            assertThatThrownBy(() -> new Tokens(journal).authenticate(secret)).isInstanceOf(Tokens.Unauthenticated.class);
        }

        Run again = warden("token", "revoke", "--data-dir", dir.toString(), tokenId);
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err().strip()).isEqualTo("warden: couldn't revoke token \"" + tokenId + "\": token \""
                + tokenId + "\" is already revoked");
    }

    @Test
    void tokenIssue_forACustomer_isBoundToAKnownCustomer() throws Exception {
        assertThat(warden("ledger", "keygen", "--origin", "cli.warden.local/log", "--out", dir.toString()).exit()).isZero();
        Run unknown = warden("token", "issue", "--data-dir", dir.toString(), "--principal", "cus", "--role", "customer",
                "--customer", "acct-1");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err().strip()).isEqualTo("warden: couldn't issue token for \"cus\": no customer \"acct-1\"");

        try (Database db = Database.sqlite(dir);
             Journal journal = Journal.open(db, SignerKey.parse(Files.readString(dir.resolve("log.key")).strip()))) {
            new dev.warden.inventory.Inventory(journal).registerCustomer(Principal.SYSTEM, "acct-1", "Example Ltd",
                    "business", "DE");
        }
        Run bound = warden("token", "issue", "--data-dir", dir.toString(), "--principal", "cus", "--role", "customer",
                "--customer", "acct-1");
        assertThat(bound.exit()).as(bound.err()).isZero();
        try (Database db = Database.sqlite(dir);
             Journal journal = Journal.open(db, SignerKey.parse(Files.readString(dir.resolve("log.key")).strip()))) {
            assertThat(new Tokens(journal).authenticate(bound.out().strip()))
                    .isEqualTo(new Principal("cus", Set.of(Role.CUSTOMER), "acct-1"));
        }
    }

    @Test
    void tokenCommands_refuseBadInput_onOneLine() throws Exception {
        assertThat(warden("ledger", "keygen", "--origin", "cli.warden.local/log", "--out", dir.toString()).exit()).isZero();
        Run role = warden("token", "issue", "--data-dir", dir.toString(), "--principal", "p", "--role", "wizard");
        assertThat(role.exit()).isEqualTo(1);
        assertThat(role.err().strip()).isEqualTo("warden: couldn't issue token: --role \"wizard\" is not one of: "
                + "analyst, reviewer, approver, admin, auditor, emergency, follower, customer");
        Run ttl = warden("token", "issue", "--data-dir", dir.toString(), "--principal", "p", "--role", "admin",
                "--ttl-days", "0");
        assertThat(ttl.exit()).isEqualTo(1);
        assertThat(ttl.err().strip()).isEqualTo("warden: --ttl-days 0 is not in 1..366");
        Run principal = warden("token", "issue", "--data-dir", dir.toString(), "--principal", "has space", "--role", "admin");
        assertThat(principal.exit()).isEqualTo(1);
        assertThat(principal.err().strip()).startsWith("warden: couldn't issue token for \"has space\": principalId must be")
                .doesNotContain("\n");
        Run secret = warden("token", "revoke", "--data-dir", dir.toString(), "wdn_" + "A".repeat(43));
        assertThat(secret.exit()).isEqualTo(1);
        assertThat(secret.err()).contains("that is a token's secret, not its id").doesNotContain("AAAA");
        Run missing = warden("token", "issue", "--data-dir", dir.toString(), "--principal", "p");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("Missing required option: '--role=<role>'");
    }

    @Test
    void tokenIssue_withoutAKey_failsWithAHint() {
        Run r = warden("token", "issue", "--data-dir", dir.toString(), "--principal", "ada", "--role", "admin");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("warden: no signing key at").doesNotContain("\n");
    }

    @Test
    void verify_remembersTheCheckpoint_andRefusesALogThatRolledBack() throws Exception {
        SignerKey key = SignerKey.generate("verify.warden.local/log");
        Path vkey = dir.resolve("log.vkey");
        Files.writeString(vkey, key.verifierKey().encode() + "\n");
        Path state = dir.resolve("state/accepted.checkpoint");
        try (Database db = Database.sqlite(dir.resolve("a"));
             Ledger ledger = Ledger.open(new SqlLogStorage(db), key);
             WardenServer server = WardenServer.start(ledger, "127.0.0.1", 0)) {
            for (int i = 0; i < 600; i++) {
                ledger.appendAsync(("a" + i).getBytes(StandardCharsets.UTF_8));
            }
            ledger.append("last".getBytes(StandardCharsets.UTF_8));
            String url = "http://127.0.0.1:" + server.port() + "/log";
            Run first = warden("ledger", "verify", "--url", url, "--vkey", vkey.toString(), "--state", state.toString());
            assertThat(first.exit()).as(first.err()).isZero();
            assertThat(first.out()).contains("verified at size 601");
            ledger.append("more".getBytes(StandardCharsets.UTF_8));
            Run second = warden("ledger", "verify", "--url", url, "--vkey", vkey.toString(), "--state", state.toString());
            assertThat(second.exit()).as(second.err()).isZero();
            assertThat(second.out()).contains("verified at size 602").contains("consistent with the checkpoint accepted before");
        }
        // Another server with the same key but a shorter history: a rollback.
        try (Database db = Database.sqlite(dir.resolve("b"));
             Ledger ledger = Ledger.open(new SqlLogStorage(db), key);
             WardenServer server = WardenServer.start(ledger, "127.0.0.1", 0)) {
            ledger.append("only".getBytes(StandardCharsets.UTF_8));
            String url = "http://127.0.0.1:" + server.port() + "/log";
            Run rolled = warden("ledger", "verify", "--url", url, "--vkey", vkey.toString(), "--state", state.toString());
            assertThat(rolled.exit()).isEqualTo(1);
            assertThat(rolled.err().strip()).contains("rolled back: it now has 1 entries, a checkpoint accepted earlier had 602")
                    .doesNotContain("\n");
        }
    }

    @Test
    void verify_ofAnUnreachableLog_failsOnOneLine() throws Exception {
        Path vkey = dir.resolve("log.vkey");
        Files.writeString(vkey, SignerKey.generate("x.warden.local/log").verifierKey().encode());
        Run r = warden("ledger", "verify", "--url", "http://127.0.0.1:1/log", "--vkey", vkey.toString(),
                "--state", dir.resolve("s").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("warden: couldn't fetch checkpoint").doesNotContain("\n");
    }

    @Test
    void verify_withAMalformedVerifierKey_failsOnOneLine() throws Exception {
        Path vkey = dir.resolve("bad.vkey");
        Files.writeString(vkey, "not a key");
        Run r = warden("ledger", "verify", "--url", "http://127.0.0.1:1/log", "--vkey", vkey.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).startsWith("warden: couldn't read verifier key").doesNotContain("\n");
    }

    @Test
    void unknownOption_isAUsageError() {
        Run r = warden("ledger", "verify", "--url", "http://x/log", "--vkey", "k", "--nope");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--nope'");
    }

    @Test
    void generate_writesMonthlyParquet_andSummarises() throws Exception {
        Path out = dir.resolve("focus");
        Run r = warden("generate", "--customers", "10", "--days", "40", "--start", "2025-01-15", "--out", out.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        try (var files = Files.list(out)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted())
                    .containsExactly("focus-2025-01.parquet", "focus-2025-02.parquet");
        }
        assertThat(r.out()).contains("focus-2025-01.parquet: ").contains("wrote 2 files to " + out + ": ")
                .contains(" rows, 2025-01-15 to 2025-02-23, in ").contains(" rows/s)");
    }

    @Test
    void generate_withTooFewCustomers_failsOnOneLine() {
        Run r = warden("generate", "--customers", "5", "--days", "10", "--out", dir.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("warden: the number of customers must be at least 10 (3 of them are the"
                + " special customers), not 5");
    }

    @Test
    void demo_runsTheRoundTrip_andCatchesTheTamperedByte() {
        Run r = warden("ledger", "demo", "--entries", "600", "--data-dir", dir.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("1. appended 600 entries").contains("3. verified over HTTP")
                .contains("c2sp.org/tlog-proof@v1\n").contains("the verifier refuses");
        assertThat(dir.resolve("log.key")).exists();
    }

    @Test
    void usageImport_storesAFocusFile_printsASummaryAndProgress_skipsItTheSecondTime_andRefusesABadFileOnOneLine()
            throws Exception {
        assertThat(warden("ledger", "keygen", "--origin", "cli.warden.local/log", "--out", dir.toString()).exit()).isZero();
        String header = "BilledCost,BillingAccountId,BillingAccountName,BillingCurrency,BillingPeriodEnd,BillingPeriodStart,"
                + "ChargeCategory,ChargeClass,ChargeDescription,ChargePeriodEnd,ChargePeriodStart,ContractedCost,EffectiveCost,"
                + "InvoiceIssuerName,ListCost,PricingQuantity,PricingUnit,ProviderName,PublisherName,ServiceCategory,ServiceName,"
                + "x_BillingCountry,x_Team\n";
        String row = "1.5,acct-1,Acme,USD,2024-02-01T00:00:00Z,2024-01-01T00:00:00Z,%s,,Storage,2024-01-01T01:00:00Z,"
                + "2024-01-01 00:00:00,1.5,1.5,Example Cloud,2,10,GB,Example Cloud,Example Cloud,Storage,Object Storage,DE,blue\n";
        Path good = Files.writeString(dir.resolve("usage.csv"), header + row.formatted("Usage") + row.formatted("usage"));

        Run r = warden("usage", "import", "--data-dir", dir.toString(), "--allow-column", "x_BillingCountry", good.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("usage.csv: 2 rows, 1 customers, 0 subscriptions, 1 services, 0 regions, period "
                + "2024-01-01T00:00:00Z to 2024-01-01T01:00:00Z")
                .contains("registered: 1 customers, 0 subscriptions, 1 services, 0 regions")
                .contains("warnings: datetime-format 2, dropped-column 1, enum-case 1")
                .contains("dropped columns: x_Team");
        assertThat(r.err()).contains("usage.csv: importing", "100%");
        assertThat(Files.exists(dir.resolve("usage.duckdb"))).isTrue();

        Run again = warden("usage", "import", "--data-dir", dir.toString(), good.toString());
        assertThat(again.exit()).isZero();
        assertThat(again.out()).contains("usage.csv: already imported");

        Path bad = Files.writeString(dir.resolve("bad.csv"), header + row.formatted("Usage").replace("1.5,acct-1", "1.5,acct-2")
                + row.formatted("Usagez"));
        Run refused = warden("usage", "import", "--data-dir", dir.toString(), "--strict", bad.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err().lines().filter(l -> l.startsWith("warden:")).toList()).singleElement().asString()
                .startsWith("warden: " + bad + " line 2, column ChargePeriodStart: is not a date-time");
        assertThat(warden("usage", "import", "--data-dir", dir.toString(), "--allow-column", "x_Bad-Name", good.toString())
                .err()).startsWith("warden: --allow-column:");
    }
}
