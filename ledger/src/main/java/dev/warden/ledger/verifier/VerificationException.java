package dev.warden.ledger.verifier;

/**
 * The log did not verify. The message says what diverged and where; {@link #kind()} says how.
 */
public final class VerificationException extends Exception {
    /** How verification failed. */
    public enum Kind {
        /** A checkpoint's signature or format is bad. */
        CHECKPOINT,
        /** The log is smaller than a checkpoint accepted before. */
        ROLLED_BACK,
        /** The log's history differs from a checkpoint accepted before. */
        FORKED,
        /** A tile or entry bundle does not match what its contents imply, or the root differs. */
        CONTENT,
        /** The log could not be read. */
        UNREACHABLE
    }

    private final Kind kind;

    public VerificationException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public VerificationException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
