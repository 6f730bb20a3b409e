package dev.warden.enforcement;

/**
 * What {@link Decider#decide} answers. Either way it names the ledger size (tree size) of the
 * state it was computed from, so a caller can tell how fresh it is.
 */
public sealed interface Answer {
    long treeSize();

    /** Nothing Warden enforces covers the request; the provider's own IAM decides. */
    record Allow(long treeSize) implements Answer {
    }

    /** A restriction in force covers the request. */
    record Deny(long treeSize, String restrictionId, String caseRef, String reasonCode) implements Answer {
    }
}
