package dev.warden.enforcement;

import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * An enforceable restriction, as a decision yields it: one subscription, the services and
 * operations it denies, where (no regions: everywhere), the services carved out, and its timeline
 * in epoch seconds: {@code noticeAt <= effectiveAt <= retrievalUntil <= endAt}, with
 * {@link #OPEN_END} for an open end.
 *
 * <p>In force from {@code effectiveAt} (inclusive) until {@code endAt} (exclusive); from
 * {@code effectiveAt} until {@code retrievalUntil} (exclusive) read and export stay allowed.
 * Before {@code effectiveAt} (the notice period) it denies nothing.
 */
public record Restriction(String id, String subscription, Set<String> services, Set<Operation> operations,
        Set<String> regions, Set<String> carveOuts, long noticeAt, long effectiveAt, long retrievalUntil, long endAt,
        String caseRef, String reasonCode) {

    /** An open end. */
    public static final long OPEN_END = Long.MAX_VALUE;

    public Restriction {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(subscription, "subscription");
        services = Set.copyOf(services);
        operations = operations.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(operations));
        regions = Set.copyOf(regions);
        carveOuts = Set.copyOf(carveOuts);
        if (!(noticeAt <= effectiveAt && effectiveAt <= retrievalUntil && retrievalUntil <= endAt)) {
            throw new IllegalArgumentException("restriction " + id + ": timeline is not noticeAt <= effectiveAt"
                    + " <= retrievalUntil <= endAt");
        }
    }

    /**
     * Whether this restriction denies {@code service}/{@code operation} in {@code region} at
     * {@code at} (DESIGN.md, "Decision semantics"). The subscription is matched by the caller.
     */
    boolean denies(String service, Operation operation, String region, long at) {
        if (at < effectiveAt || at >= endAt) {
            return false;
        }
        if (at < retrievalUntil && operation.retrieves()) {
            return false;
        }
        return services.contains(service) && !carveOuts.contains(service)
                && (operations.isEmpty() || operations.contains(operation))
                && (regions.isEmpty() || regions.contains(region));
    }
}
