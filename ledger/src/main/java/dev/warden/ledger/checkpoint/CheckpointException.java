package dev.warden.ledger.checkpoint;

/**
 * A checkpoint could not be parsed or verified. The message has the form
 * {@code couldn't <parse|verify> checkpoint ...: <cause>}, quotes the offending value, and may end
 * with a line {@code hint: ...}. When a signed note was at fault, the
 * {@link dev.warden.ledger.note.NoteException} is the cause.
 */
public final class CheckpointException extends Exception {
    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
