package dev.warden.access;

import dev.warden.event.Check;
import dev.warden.event.Event;
import dev.warden.event.Journal;
import dev.warden.event.Rejection;
import dev.warden.event.Sha256;
import dev.warden.event.Sql;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * API tokens: 256-bit random secrets bound to a principal with roles. Only their SHA-256 is
 * stored; the secret is returned once, at issue. Issuing and revoking are events.
 */
public final class Tokens {
    /** Tokens look like {@code wdn_<43 base64url characters>}. */
    public static final String PREFIX = "wdn_";
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration MAX_TTL = Duration.ofDays(366);

    private final Journal journal;

    public Tokens(Journal journal) {
        this.journal = journal;
    }

    /** A freshly issued token: its id (to revoke it) and its secret (shown once). */
    public record Issued(String tokenId, String secret, Instant expiresAt) {
        @Override
        public String toString() {
            return "Issued[" + tokenId + ", expires " + expiresAt + "]"; // never the secret
        }
    }

    public Issued issue(Principal by, String principalId, Set<Role> roles, String customerId, Duration ttl) {
        return journal.run(by, ctx -> {
            Check.role(ctx.by(), Role.ADMIN, Role.SYSTEM);
            Check.principal("principalId", principalId);
            if (roles == null || roles.isEmpty()) {
                throw Rejection.invalid("roles", "a token carries at least one role");
            }
            if (roles.contains(Role.SYSTEM)) {
                throw Rejection.invalid("roles", "no token carries the system role");
            }
            if (roles.contains(Role.CUSTOMER) && roles.size() > 1) {
                throw Rejection.invalid("roles", "a customer token carries the customer role alone");
            }
            if (roles.contains(Role.CUSTOMER)) {
                Check.id("customerId", customerId);
                if (Sql.one(ctx.connection(), "SELECT 1 FROM customer WHERE customer_id = ?", customerId).isEmpty()) {
                    throw Rejection.notFound("customerId", "no customer \"" + customerId + "\"");
                }
            } else if (customerId != null) {
                throw Rejection.invalid("customerId", "only a customer token is bound to a customer");
            }
            if (ttl == null || ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
                throw Rejection.invalid("ttl", "a token lives between one second and 366 days");
            }
            byte[] raw = new byte[32];
            RANDOM.nextBytes(raw);
            String secret = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            String tokenId = Check.newId("tok");
            Instant expires = ctx.now().plus(ttl);
            String secretHash = Sha256.hex(secret.getBytes(StandardCharsets.UTF_8));
            ctx.emit(new Event.TokenIssued(tokenId, principalId, new TreeSet<>(roles), customerId, secretHash, expires));
            return new Issued(tokenId, secret, expires);
        });
    }

    public void revoke(Principal by, String tokenId) {
        journal.run(by, ctx -> {
            Check.role(ctx.by(), Role.ADMIN, Role.SYSTEM);
            Check.id("tokenId", tokenId);
            String revoked = Sql.one(ctx.connection(), "SELECT revoked FROM api_token WHERE token_id = ?", tokenId)
                    .orElseThrow(() -> Rejection.notFound("tokenId", "no token \"" + tokenId + "\""));
            if (revoked.equals("1")) {
                throw Rejection.conflict("token \"" + tokenId + "\" is already revoked");
            }
            return ctx.emit(new Event.TokenRevoked(tokenId));
        });
    }

    /** Why a token did not authenticate; the API answers 401 with this. */
    public static final class Unauthenticated extends RuntimeException {
        public Unauthenticated(String message) {
            super(message);
        }
    }

    /**
     * The principal a bearer token stands for.
     *
     * @throws Unauthenticated if it is malformed, unknown, revoked or expired
     */
    public Principal authenticate(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() != PREFIX.length() + 43) {
            throw new Unauthenticated("the bearer token is not a Warden token (wdn_...)");
        }
        String hash = Sha256.hex(token.getBytes(StandardCharsets.UTF_8));
        return lookup(hash);
    }

    private Principal lookup(String hash) {
        List<List<String>> rows = journal.read(c -> Sql.rows(c,
                "SELECT principal_id, roles, customer_id, expires_at, revoked FROM api_token WHERE secret_sha256 = ?", hash));
        if (rows.isEmpty()) {
            throw new Unauthenticated("the bearer token is unknown");
        }
        List<String> row = rows.get(0);
        if (row.get(4).equals("1")) {
            throw new Unauthenticated("the bearer token was revoked");
        }
        if (!journal.clock().instant().isBefore(Instant.parse(row.get(3)))) {
            throw new Unauthenticated("the bearer token expired at " + row.get(3));
        }
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String r : row.get(1).split(",")) {
            roles.add(Role.fromWire(r));
        }
        return new Principal(row.get(0), roles, row.get(2));
    }
}
