package dev.warden.principal;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Who acts: an id, its roles, and for a customer principal the customer account it is bound to.
 * Every event records the principal that caused it.
 */
public record Principal(String id, Set<Role> roles, String customerId) {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}");

    public Principal {
        Objects.requireNonNull(id, "id");
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("principal id \"" + id + "\" is not 1-128 of [A-Za-z0-9._@:-]");
        }
        roles = Set.copyOf(roles);
        if (roles.contains(Role.CUSTOMER) != (customerId != null)) {
            throw new IllegalArgumentException("a customer principal, and only one, is bound to a customer account");
        }
    }

    public static Principal of(String id, Role... roles) {
        return new Principal(id, Set.of(roles), null);
    }

    public static Principal customer(String id, String customerId) {
        return new Principal(id, Set.of(Role.CUSTOMER), customerId);
    }

    /** The principal Warden itself acts as, for scheduled work such as lapses. */
    public static final Principal SYSTEM = of("warden", Role.SYSTEM);

    /** Warden reading on its own behalf (the notice outbox reading what it delivers). */
    public static final Principal SYSTEM_AUDIT = of("warden", Role.SYSTEM, Role.AUDITOR);

    public boolean has(Role role) {
        return roles.contains(role);
    }
}
