package dev.warden.cli;

import dev.warden.access.Tokens;
import dev.warden.event.Journal;
import dev.warden.event.Rejection;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;
import dev.warden.storage.Database;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

@Command(name = "token", mixinStandardHelpOptions = true,
        description = {"API tokens, issued and revoked on the local database as the system principal.",
                "Both are events in the ledger. Use them to issue the first admin token; admins issue the rest over the API."},
        subcommands = {TokenCommand.Issue.class, TokenCommand.Revoke.class})
final class TokenCommand {
    static final int DEFAULT_TTL_DAYS = 90;

    @Command(name = "issue", mixinStandardHelpOptions = true,
            description = {"Issue an API token and print its secret (wdn_...) on standard output, once: only its SHA-256 is kept.",
                    "Its id, to revoke it, and its expiry go to standard error."})
    static final class Issue implements Runnable {
        @Mixin
        StoreOptions store;

        @Option(names = "--principal", required = true, paramLabel = "<id>", description = "Who the token stands for.")
        String principal;

        @Option(names = "--role", required = true, paramLabel = "<role>",
                description = "A role of the token, repeatable: analyst, reviewer, approver, admin, auditor or customer.")
        List<String> roles;

        @Option(names = "--customer", paramLabel = "<id>", description = "For a customer token: the customer it is bound to.")
        String customer;

        @Option(names = "--ttl-days", paramLabel = "<days>", defaultValue = "" + DEFAULT_TTL_DAYS,
                description = "How long the token lives, 1-366 days (default: ${DEFAULT-VALUE}).")
        int ttlDays;

        @Override
        public void run() {
            Set<Role> parsed = EnumSet.noneOf(Role.class);
            for (String r : roles) {
                parsed.add(role(r));
            }
            if (ttlDays < 1 || ttlDays > 366) {
                throw new UserException("--ttl-days " + ttlDays + " is not in 1..366");
            }
            try (Database db = store.openDatabase(); Journal journal = store.openJournal(db)) {
                Tokens.Issued issued = new Tokens(journal).issue(Principal.SYSTEM, principal, parsed, customer,
                        Duration.ofDays(ttlDays));
                System.out.println(issued.secret());
                System.err.println("warden: issued token " + issued.tokenId() + " for \"" + principal + "\" ("
                        + parsed.stream().map(Role::wire).collect(Collectors.joining(", ")) + "), expires "
                        + issued.expiresAt() + "; revoke it with: warden token revoke " + issued.tokenId());
            } catch (Rejection e) {
                throw new UserException("couldn't issue token for \"" + principal + "\": " + e.getMessage(), e);
            }
        }

        private static Role role(String wire) {
            for (Role r : Role.values()) {
                if (r != Role.SYSTEM && r.wire().equals(wire)) {
                    return r;
                }
            }
            throw new UserException("couldn't issue token: --role \"" + wire + "\" is not one of: "
                    + Arrays.stream(Role.values()).filter(r -> r != Role.SYSTEM).map(Role::wire)
                    .collect(Collectors.joining(", ")));
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke an API token by its id (tok-..., printed when it was issued); it stops working at once.")
    static final class Revoke implements Runnable {
        @Mixin
        StoreOptions store;

        @Parameters(index = "0", paramLabel = "<tokenId>", description = "The token's id, not its secret.")
        String tokenId;

        @Override
        public void run() {
            if (tokenId.startsWith(Tokens.PREFIX)) { // never echo a secret
                throw new UserException("couldn't revoke token: that is a token's secret, not its id; "
                        + "hint: the id (tok-...) was printed when the token was issued");
            }
            try (Database db = store.openDatabase(); Journal journal = store.openJournal(db)) {
                new Tokens(journal).revoke(Principal.SYSTEM, tokenId);
                System.out.println("revoked " + tokenId);
            } catch (Rejection e) {
                throw new UserException("couldn't revoke token \"" + tokenId + "\": " + e.getMessage(), e);
            }
        }
    }
}
