package dev.warden.ledger.tree;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 9162 §2.1.1 hashing with SHA-256: a leaf is {@code SHA-256(0x00 || d)}, an interior node
 * {@code SHA-256(0x01 || left || right)}, the empty tree {@code SHA-256("")}.
 *
 * <p>Not thread-safe: it holds a {@link MessageDigest}. Use one per thread; the static helpers
 * keep one per thread for you.
 */
public final class Hasher {
    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;
    private static final ThreadLocal<Hasher> PER_THREAD = ThreadLocal.withInitial(Hasher::new);

    /** MTH({}) = SHA-256() (RFC 9162 §2.1.1). */
    public static final Hash EMPTY_ROOT = new Hash(sha256().digest());

    private final MessageDigest digest = sha256();

    /** One per thread, for callers that do not keep their own. */
    public static Hasher get() {
        return PER_THREAD.get();
    }

    /** RFC 9162 §2.1.1: {@code SHA-256(0x00 || data)}. */
    public Hash leaf(byte[] data) {
        return new Hash(leafBytes(data, 0, data.length));
    }

    /** As {@link #leaf(byte[])} over {@code data[offset, offset+length)}, returning raw bytes. */
    public byte[] leafBytes(byte[] data, int offset, int length) {
        digest.update(LEAF_PREFIX);
        digest.update(data, offset, length);
        return digest.digest();
    }

    /** As {@link #leafBytes} but written into {@code out} at {@code outOffset}, without allocating. */
    public void leafBytesInto(byte[] data, int offset, int length, byte[] out, int outOffset) {
        digest.update(LEAF_PREFIX);
        digest.update(data, offset, length);
        try {
            digest.digest(out, outOffset, Hash.SIZE);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 refused a 32-byte output buffer", e);
        }
    }

    /** RFC 9162 §2.1.1: {@code SHA-256(0x01 || left || right)}. */
    public Hash node(Hash left, Hash right) {
        digest.update(NODE_PREFIX);
        digest.update(left.raw());
        digest.update(right.raw());
        return new Hash(digest.digest());
    }

    /**
     * The node hash of two adjacent 32-byte values in {@code hashes}, starting at {@code offset},
     * written into {@code out} at {@code outOffset}. Used to fold tiles without allocating.
     */
    public void node(byte[] hashes, int leftOffset, int rightOffset, byte[] out, int outOffset) {
        digest.update(NODE_PREFIX);
        if (rightOffset == leftOffset + Hash.SIZE) {
            digest.update(hashes, leftOffset, 2 * Hash.SIZE); // siblings side by side, as in a tile
        } else {
            digest.update(hashes, leftOffset, Hash.SIZE);
            digest.update(hashes, rightOffset, Hash.SIZE);
        }
        try {
            digest.digest(out, outOffset, Hash.SIZE);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException("SHA-256 refused a 32-byte output buffer", e);
        }
    }

    /**
     * MTH of a perfect subtree given its {@code count} leaf-level hashes, stored back to back in
     * {@code hashes} from {@code offset}. Requires {@code count} to be a power of two.
     * RFC 9162 §2.1.1: for a power of two the split is exactly in half, so pairwise folding
     * level by level gives the same value as the recursive definition.
     */
    public Hash perfectSubtree(byte[] hashes, int offset, int count) {
        if (count <= 0 || Integer.bitCount(count) != 1) {
            throw new IllegalArgumentException("a perfect subtree has a power-of-two width, not " + count);
        }
        if (count == 1) {
            return Hash.of(hashes, offset);
        }
        byte[] work = new byte[count / 2 * Hash.SIZE];
        for (int i = 0; i < count / 2; i++) {
            node(hashes, offset + 2 * i * Hash.SIZE, offset + (2 * i + 1) * Hash.SIZE, work, i * Hash.SIZE);
        }
        for (int n = count / 2; n > 1; n /= 2) {
            for (int i = 0; i < n / 2; i++) {
                node(work, 2 * i * Hash.SIZE, (2 * i + 1) * Hash.SIZE, work, i * Hash.SIZE);
            }
        }
        return Hash.of(work, 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }
}
