package dev.warden.cli;

/** A failure the user can fix; its message is printed as is, on one line. */
final class UserException extends RuntimeException {
    UserException(String message) {
        super(message);
    }

    UserException(String message, Throwable cause) {
        super(message, cause);
    }
}
