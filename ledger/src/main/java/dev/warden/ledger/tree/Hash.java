package dev.warden.ledger.tree;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * A SHA-256 value: exactly 32 bytes, compared by content.
 *
 * <p>Immutable: the constructor and {@link #bytes()} copy. Hot paths that must not copy use
 * {@link #copyInto(byte[], int)}.
 */
public record Hash(byte[] bytes) {
    /** Length in bytes of every hash in the log (RFC 9162 §2.1 with SHA-256). */
    public static final int SIZE = 32;

    /**
     * @throws IllegalArgumentException unless {@code bytes.length == 32}
     */
    public Hash {
        if (bytes == null || bytes.length != SIZE) {
            throw new IllegalArgumentException("a hash has " + SIZE + " bytes, not "
                    + (bytes == null ? "null" : bytes.length));
        }
        bytes = bytes.clone();
    }

    /** Copies the 32 bytes at {@code offset} of {@code source}. */
    public static Hash of(byte[] source, int offset) {
        return new Hash(Arrays.copyOfRange(source, offset, offset + SIZE));
    }

    /**
     * Parses standard base64 (RFC 4648 §4), as used in checkpoints and proofs.
     *
     * @throws IllegalArgumentException if it is not base64 of exactly 32 bytes
     */
    public static Hash fromBase64(String text) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("\"" + text + "\" is not base64: " + e.getMessage(), e);
        }
        if (decoded.length != SIZE) {
            throw new IllegalArgumentException("\"" + text + "\" decodes to " + decoded.length
                    + " bytes, a hash has " + SIZE);
        }
        return new Hash(decoded);
    }

    @Override
    public byte[] bytes() {
        return bytes.clone();
    }

    /** The backing array, for hashing without a copy; callers in this package never mutate it. */
    byte[] raw() {
        return bytes;
    }

    /** Writes the 32 bytes into {@code target} at {@code offset}. */
    public void copyInto(byte[] target, int offset) {
        System.arraycopy(bytes, 0, target, offset, SIZE);
    }

    public String base64() {
        return Base64.getEncoder().encodeToString(bytes);
    }

    public String hex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Hash h && Arrays.equals(bytes, h.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return base64();
    }
}
