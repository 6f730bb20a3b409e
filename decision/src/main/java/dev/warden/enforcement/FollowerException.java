package dev.warden.enforcement;

/** The follower refused what a server served: a forged checkpoint, a rollback, a fork, a bad body. */
public final class FollowerException extends Exception {
    public FollowerException(String message) {
        super(message);
    }

    public FollowerException(String message, Throwable cause) {
        super(message, cause);
    }
}
