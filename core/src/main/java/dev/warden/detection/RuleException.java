package dev.warden.detection;

/**
 * A rule pack that does not load, or a rule that does not compile: the message starts with
 * {@code file:line:} where the fault is.
 */
public class RuleException extends RuntimeException {
    public RuleException(String message) {
        super(message);
    }

    public RuleException(String message, Throwable cause) {
        super(message, cause);
    }
}
