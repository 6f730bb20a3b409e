package dev.warden.ledger.tree;

/** A Merkle proof did not verify. The message says which check of RFC 9162 failed. */
public final class ProofException extends Exception {
    public ProofException(String message) {
        super(message);
    }
}
