package dev.warden.ledger.receipt;

/** A receipt is malformed or does not verify. */
public final class ReceiptException extends Exception {
    public ReceiptException(String message) {
        super(message);
    }

    public ReceiptException(String message, Throwable cause) {
        super(message, cause);
    }
}
