package dev.warden.ledger.note;

/**
 * A signed note could not be parsed or verified. The message has the form
 * {@code couldn't <parse|verify> note: <cause>}, quotes the offending value, and may end with a
 * second line {@code hint: ...}.
 */
public final class NoteException extends Exception {
    public NoteException(String message) {
        super(message);
    }

    public NoteException(String message, Throwable cause) {
        super(message, cause);
    }
}
