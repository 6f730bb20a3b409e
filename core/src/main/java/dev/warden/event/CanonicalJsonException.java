package dev.warden.event;

/**
 * JSON that {@link CanonicalJson} refuses to parse or to canonicalize. The message names what is
 * wrong and where: a line and column for {@link CanonicalJson#parse parsed} text, a JSON Pointer
 * (RFC 6901) for an {@link CanonicalJson#encode encoded} tree.
 */
public final class CanonicalJsonException extends IllegalArgumentException {
    public CanonicalJsonException(String message) {
        super(message);
    }

    public CanonicalJsonException(String message, Throwable cause) {
        super(message, cause);
    }
}
