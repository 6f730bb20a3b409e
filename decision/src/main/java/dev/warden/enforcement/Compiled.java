package dev.warden.enforcement;

/**
 * A restriction laid out for {@code decide}: operations as a bit mask, and the (few) services,
 * carve-outs and regions as arrays, which a linear scan beats a hash set at these sizes.
 */
final class Compiled {
    private static final int ALL_OPERATIONS = (1 << Operation.values().length) - 1;

    final Restriction source;
    private final String[] services;
    private final String[] carveOuts;
    private final String[] regions;
    private final int operations;
    private final long effectiveAt;
    private final long retrievalUntil;
    private final long endAt;

    Compiled(Restriction r) {
        this.source = r;
        this.services = r.services().toArray(String[]::new);
        this.carveOuts = r.carveOuts().toArray(String[]::new);
        this.regions = r.regions().isEmpty() ? null : r.regions().toArray(String[]::new);
        int mask = 0;
        for (Operation o : r.operations()) {
            mask |= 1 << o.ordinal();
        }
        this.operations = mask == 0 ? ALL_OPERATIONS : mask;
        this.effectiveAt = r.effectiveAt();
        this.retrievalUntil = r.retrievalUntil();
        this.endAt = r.endAt();
    }

    /** As {@link Restriction#denies}, which the differential test holds it to. */
    boolean denies(String service, Operation operation, String region, long at) {
        if (at < effectiveAt || at >= endAt || (operations & (1 << operation.ordinal())) == 0) {
            return false;
        }
        if (at < retrievalUntil && operation.retrieves()) {
            return false;
        }
        return contains(services, service) && !contains(carveOuts, service) && (regions == null || contains(regions, region));
    }

    private static boolean contains(String[] values, String value) {
        for (String v : values) {
            if (v.equals(value)) {
                return true;
            }
        }
        return false;
    }
}
