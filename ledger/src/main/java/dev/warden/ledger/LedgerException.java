package dev.warden.ledger;

/** The log could not be opened or written. Nothing was appended when this is thrown. */
public final class LedgerException extends RuntimeException {
    public LedgerException(String message) {
        super(message);
    }

    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
