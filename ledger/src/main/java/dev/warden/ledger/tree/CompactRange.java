package dev.warden.ledger.tree;

import java.util.ArrayList;
import java.util.List;

/**
 * The right edge of a Merkle tree: one perfect-subtree hash per set bit of its size, from the
 * largest subtree to the smallest. Appending a leaf merges at most log2(n) pairs and never
 * rehashes the tree; the root is the right fold of these hashes, which is RFC 9162 §2.1.1's MTH
 * because the split point k is always the largest subtree on the left.
 *
 * <p>Not thread-safe.
 */
public final class CompactRange {
    private final List<Hash> hashes = new ArrayList<>();
    private final List<Integer> heights = new ArrayList<>();
    private long size;

    public long size() {
        return size;
    }

    /** Appends one leaf, given its leaf hash. */
    public void append(Hash leafHash) {
        appendSubtree(leafHash, 0);
    }

    /**
     * Appends a perfect subtree of {@code 2^height} leaves.
     * Requires {@code size} to be a multiple of {@code 2^height} and no smaller subtree to be
     * pending on the right edge, so that the new subtree lands aligned, and
     * {@code size + 2^height <= Long.MAX_VALUE}.
     */
    public void appendSubtree(Hash subtree, int height) {
        if (height < 0 || height > 62) {
            throw new IllegalArgumentException("subtree height out of range: " + height);
        }
        if (!heights.isEmpty() && heights.get(heights.size() - 1) < height) {
            throw new IllegalArgumentException("can't append a subtree of height " + height
                    + " after one of height " + heights.get(heights.size() - 1));
        }
        if (size > Long.MAX_VALUE - (1L << height)) {
            throw new IllegalArgumentException("can't append a subtree of height " + height + " to " + size
                    + " leaves: a range holds at most 2^63-1");
        }
        Hasher hasher = Hasher.get();
        Hash carry = subtree;
        int h = height;
        while (!heights.isEmpty() && heights.get(heights.size() - 1) == h) {
            int last = hashes.size() - 1;
            carry = hasher.node(hashes.remove(last), carry);
            heights.remove(last);
            h++;
        }
        hashes.add(carry);
        heights.add(h);
        size += 1L << height;
    }

    /** MTH of the leaves appended so far (RFC 9162 §2.1.1); the empty-tree hash if none. */
    public Hash root() {
        if (hashes.isEmpty()) {
            return Hasher.EMPTY_ROOT;
        }
        Hasher hasher = Hasher.get();
        Hash r = hashes.get(hashes.size() - 1);
        for (int i = hashes.size() - 2; i >= 0; i--) {
            r = hasher.node(hashes.get(i), r);
        }
        return r;
    }

    public CompactRange copy() {
        CompactRange c = new CompactRange();
        c.hashes.addAll(hashes);
        c.heights.addAll(heights);
        c.size = size;
        return c;
    }
}
