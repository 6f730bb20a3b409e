package dev.warden.ledger.storage;

/** The log's storage failed, or refused a write that would fork the log. */
public final class LogStorageException extends RuntimeException {
    public LogStorageException(String message) {
        super(message);
    }

    public LogStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
