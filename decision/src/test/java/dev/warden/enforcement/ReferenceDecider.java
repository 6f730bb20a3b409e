package dev.warden.enforcement;

import java.util.List;

/**
 * The naive reference for the differential test: a linear scan over every restriction, written
 * straight from DESIGN.md's decision semantics, sharing no code with {@link Decider}.
 */
final class ReferenceDecider {
    private final List<Restriction> all;
    private final long treeSize;

    ReferenceDecider(List<Restriction> all, long treeSize) {
        this.all = List.copyOf(all);
        this.treeSize = treeSize;
    }

    Answer decide(String subscription, String service, Operation operation, String region, long at) {
        for (Restriction r : all) {
            boolean inForce = r.effectiveAt() <= at && at < r.endAt();
            boolean retrieval = at < r.retrievalUntil() && (operation == Operation.READ || operation == Operation.EXPORT);
            boolean covers = r.subscription().equals(subscription)
                    && r.services().contains(service)
                    && !r.carveOuts().contains(service)
                    && (r.operations().isEmpty() || r.operations().contains(operation))
                    && (r.regions().isEmpty() || r.regions().contains(region));
            if (inForce && !retrieval && covers) {
                return new Answer.Deny(treeSize, r.id(), r.caseRef(), r.reasonCode());
            }
        }
        return new Answer.Allow(treeSize);
    }
}
