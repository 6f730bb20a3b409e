package dev.warden.event;

/**
 * A command refused its input or its caller. Nothing was written. {@link #field()} names the
 * offending input field where there is one, so the API can point at it (RFC 9457).
 */
public final class Rejection extends RuntimeException {
    /** Why a command refused. */
    public enum Kind {
        /** The input is malformed or breaks a rule. */
        INVALID,
        /** Something the input names does not exist. */
        NOT_FOUND,
        /** The principal may not do this. */
        FORBIDDEN,
        /** The current state does not allow it (already done, wrong status). */
        CONFLICT
    }

    private final Kind kind;
    private final String field;

    public Rejection(Kind kind, String field, String message) {
        super(message);
        this.kind = kind;
        this.field = field;
    }

    public static Rejection invalid(String field, String message) {
        return new Rejection(Kind.INVALID, field, message);
    }

    public static Rejection notFound(String field, String message) {
        return new Rejection(Kind.NOT_FOUND, field, message);
    }

    public static Rejection forbidden(String message) {
        return new Rejection(Kind.FORBIDDEN, null, message);
    }

    public static Rejection conflict(String message) {
        return new Rejection(Kind.CONFLICT, null, message);
    }

    public Kind kind() {
        return kind;
    }

    /** The input field at fault, or null. */
    public String field() {
        return field;
    }
}
