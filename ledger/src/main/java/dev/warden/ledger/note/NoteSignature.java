package dev.warden.ledger.note;

import dev.warden.ledger.internal.Text;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * One signature line of a note (C2SP signed-note §Signatures): the key name, the key ID and the
 * signature bytes that follow the key ID. Compared by content.
 *
 * @param name a valid key name: non-empty, without Unicode spaces, {@code +} or control
 *     characters
 * @param keyId the 32-bit key ID, as the first four bytes of the line's blob, big-endian
 * @param signature the rest of the blob, at least one byte (64 for Ed25519); copied
 */
public record NoteSignature(String name, int keyId, byte[] signature) {
    /** @throws IllegalArgumentException if the name is not valid or the signature is empty */
    public NoteSignature {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(signature, "signature");
        if (!Syntax.isValidName(name)) {
            throw new IllegalArgumentException("key name " + Text.quote(name) + " is not valid");
        }
        if (signature.length == 0) {
            throw new IllegalArgumentException("a signature by " + Syntax.keyRef(name, keyId)
                    + " has no bytes after the key ID");
        }
        signature = signature.clone();
    }

    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /** base64(keyID[4] || signature), as on the signature line. */
    String blob() {
        byte[] b = new byte[4 + signature.length];
        b[0] = (byte) (keyId >>> 24);
        b[1] = (byte) (keyId >>> 16);
        b[2] = (byte) (keyId >>> 8);
        b[3] = (byte) keyId;
        System.arraycopy(signature, 0, b, 4, signature.length);
        return Base64.getEncoder().encodeToString(b);
    }

    /** C2SP signed-note §Format: {@code — <name> <base64(keyID || signature)>\n}. */
    String line() {
        return "\u2014 " + name + " " + blob() + "\n";
    }

    /** The signature bytes without a copy, for verification inside this package. */
    byte[] raw() {
        return signature;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NoteSignature s && keyId == s.keyId && name.equals(s.name)
                && Arrays.equals(signature, s.signature);
    }

    @Override
    public int hashCode() {
        return (31 * name.hashCode() + keyId) * 31 + Arrays.hashCode(signature);
    }

    @Override
    public String toString() {
        return "NoteSignature[" + name + "+" + Syntax.hex(keyId) + " " + blob() + "]";
    }
}
