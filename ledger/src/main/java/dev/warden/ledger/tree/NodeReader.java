package dev.warden.ledger.tree;

/**
 * Reads stored hashes of perfect subtrees, which is all that proof generation needs.
 *
 * <p>Implementations must be safe for concurrent use if the proofs built on them are. Storage
 * failures surface as unchecked exceptions ({@link java.io.UncheckedIOException} or the store's
 * own).
 */
@FunctionalInterface
public interface NodeReader {
    /**
     * The hash of the perfect subtree of height {@code height} at position {@code index}, covering
     * leaves {@code [index·2^height, (index+1)·2^height)}. Callers only ask for subtrees that lie
     * wholly inside the tree they are proving against.
     */
    Hash node(int height, long index);
}
