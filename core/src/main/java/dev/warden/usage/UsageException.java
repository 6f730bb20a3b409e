package dev.warden.usage;

/** A usage import, store or generation that failed; the message says what and where. */
public class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
