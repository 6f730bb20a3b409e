package dev.warden.ledger.tree;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A naive Merkle tree, written straight from the text of RFC 9162 so that the fast code in
 * {@code tree} can be checked against it. It shares nothing with the code under test but
 * {@link Hash}: its hashing calls {@link MessageDigest} itself.
 *
 * <ul>
 *   <li>MTH, §2.1.1: {@link #mth(long, long)}
 *   <li>PATH, §2.1.3.1: {@link #path(long, long)}
 *   <li>PROOF and SUBPROOF, §2.1.4.1: {@link #proof(long, long)}
 * </ul>
 *
 * <p>The only liberty taken is a memo of MTH over ranges, a pure function of the leaves, so that
 * thousands of proofs over a few hundred leaves stay fast. Two trees exist: one over a list of
 * leaf hashes, and one whose leaves are all the same hash, which makes MTH of any range a function
 * of its width alone and so lets the tests reach sizes up to {@code Long.MAX_VALUE}.
 */
abstract class ReferenceTree {
    private static final byte[] LEAF_PREFIX = {0x00};
    private static final byte[] NODE_PREFIX = {0x01};

    /** Number of leaves. */
    abstract long size();

    /** MTH(D[lo:hi]) of RFC 9162 §2.1.1, for {@code 0 <= lo <= hi <= size()}. */
    abstract Hash mth(long lo, long hi);

    /** The tree over these leaf hashes (D[i] given as its leaf hash). */
    static ReferenceTree of(List<Hash> leafHashes) {
        return new Listed(List.copyOf(leafHashes));
    }

    /** The tree of {@code size} leaves, every one of which has the leaf hash {@code leafHash}. */
    static ReferenceTree uniform(Hash leafHash, long size) {
        return new Uniform(leafHash, size);
    }

    /** SHA-256 over the concatenation of {@code parts}. */
    static Hash sha256(byte[]... parts) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        for (byte[] p : parts) {
            md.update(p);
        }
        return new Hash(md.digest());
    }

    /** §2.1.1: the hash of a leaf, SHA-256(0x00 || d). */
    static Hash leafHash(byte[] data) {
        return sha256(LEAF_PREFIX, data);
    }

    /** §2.1.1: the hash of an interior node, SHA-256(0x01 || left || right). */
    static Hash nodeHash(Hash left, Hash right) {
        return sha256(NODE_PREFIX, left.bytes(), right.bytes());
    }

    /** §2.1.1: MTH({}) = SHA-256(). */
    static Hash emptyRoot() {
        return sha256();
    }

    /** §2.1.1: k is the largest power of two smaller than n, for n > 1; found by counting up. */
    static long split(long n) {
        if (n <= 1) {
            throw new AssertionError("no split for n = " + n);
        }
        long k = 1;
        while (k < n - k) { // k * 2 < n, without overflow
            k *= 2;
        }
        return k;
    }

    /** MTH(D[n]) for the whole tree. */
    Hash root() {
        return mth(0, size());
    }

    /** The same rule as {@link #mth(long, long)}, for the tree types to share. */
    final Hash mthByDefinition(long lo, long hi) {
        long n = hi - lo;
        if (n == 0) {
            return emptyRoot();
        }
        if (n == 1) {
            return mth(lo, hi); // a leaf: the subclasses answer it
        }
        long k = split(n);
        return nodeHash(mth(lo, lo + k), mth(lo + k, hi));
    }

    /** §2.1.3.1: PATH(m, D[n]) over the first n leaves, for 0 <= m < n. */
    List<Hash> path(long m, long n) {
        return path(m, 0, n);
    }

    private List<Hash> path(long m, long lo, long hi) {
        long n = hi - lo;
        if (m < 0 || m >= n) {
            throw new AssertionError("PATH needs 0 <= m < n, got m = " + m + ", n = " + n);
        }
        List<Hash> out = new ArrayList<>();
        if (n == 1) {
            return out; // PATH(0, {d(0)}) = {}
        }
        long k = split(n);
        if (m < k) {
            out.addAll(path(m, lo, lo + k)); // PATH(m, D[0:k]) : MTH(D[k:n])
            out.add(mth(lo + k, hi));
        } else {
            out.addAll(path(m - k, lo + k, hi)); // PATH(m - k, D[k:n]) : MTH(D[0:k])
            out.add(mth(lo, lo + k));
        }
        return out;
    }

    /** §2.1.4.1: PROOF(m, D[n]) = SUBPROOF(m, D[n], true), for 0 < m <= n. */
    List<Hash> proof(long m, long n) {
        if (m <= 0 || m > n) {
            throw new AssertionError("PROOF needs 0 < m <= n, got m = " + m + ", n = " + n);
        }
        return subproof(m, 0, n, true);
    }

    private List<Hash> subproof(long m, long lo, long hi, boolean b) {
        long n = hi - lo;
        List<Hash> out = new ArrayList<>();
        if (m == n) {
            if (!b) {
                out.add(mth(lo, hi)); // SUBPROOF(m, D[m], false) = {MTH(D[m])}
            }
            return out; // SUBPROOF(m, D[m], true) = {}
        }
        long k = split(n);
        if (m <= k) {
            out.addAll(subproof(m, lo, lo + k, b)); // SUBPROOF(m, D[0:k], b) : MTH(D[k:n])
            out.add(mth(lo + k, hi));
        } else {
            out.addAll(subproof(m - k, lo + k, hi, false)); // SUBPROOF(m - k, D[k:n], false) : MTH(D[0:k])
            out.add(mth(lo, lo + k));
        }
        return out;
    }

    /**
     * A {@link NodeReader} over this tree, for proofs against its first {@code treeSize} leaves.
     * It enforces the reader's contract: a request for a subtree that is not wholly inside the
     * tree fails the test.
     */
    NodeReader reader(long treeSize) {
        if (treeSize < 0 || treeSize > size()) {
            throw new AssertionError("tree size " + treeSize + " outside 0.." + size());
        }
        return (height, index) -> {
            if (height < 0 || height > 62 || index < 0 || index >= (treeSize >> height)) {
                throw new AssertionError("reader asked for the subtree at height " + height + ", index "
                        + index + ", which is not wholly inside a tree of size " + treeSize);
            }
            long lo = index << height;
            return mth(lo, lo + (1L << height));
        };
    }

    /**
     * The shape of PATH(m, D[n]): for each hash, bottom-up, whether it is the left (L) or right
     * (R) sibling. The verifier of §2.1.3.2 combines the hashes by this shape alone, so a proof
     * verifies under another (index, size) exactly when the shapes are equal.
     */
    static String inclusionShape(long m, long n) {
        if (n == 1) {
            return "";
        }
        long k = split(n);
        return m < k ? inclusionShape(m, k) + "R" : inclusionShape(m - k, n - k) + "L";
    }

    /**
     * The shape of PROOF(m, D[n]): N for the starting node when SUBPROOF emits one, then L or R
     * for each sibling bottom-up. As for {@link #inclusionShape}, the verifier of §2.1.4.2 combines
     * the hashes by this shape alone.
     */
    static String consistencyShape(long m, long n) {
        return subproofShape(m, n, true);
    }

    private static String subproofShape(long m, long n, boolean b) {
        if (m == n) {
            return b ? "" : "N";
        }
        long k = split(n);
        return m <= k ? subproofShape(m, k, b) + "R" : subproofShape(m - k, n - k, false) + "L";
    }

    private static final class Listed extends ReferenceTree {
        private final List<Hash> leaves;
        private final Map<Long, Hash> memo = new HashMap<>();

        Listed(List<Hash> leaves) {
            this.leaves = leaves;
        }

        @Override
        long size() {
            return leaves.size();
        }

        @Override
        Hash mth(long lo, long hi) {
            if (lo < 0 || hi < lo || hi > leaves.size()) {
                throw new AssertionError("no range [" + lo + ", " + hi + ") in " + leaves.size() + " leaves");
            }
            if (hi - lo == 1) {
                return leaves.get((int) lo); // MTH({d(0)}) = SHA-256(0x00 || d(0)), given as the leaf hash
            }
            Long key = (lo << 32) | hi;
            Hash h = memo.get(key);
            if (h == null) {
                h = mthByDefinition(lo, hi);
                memo.put(key, h);
            }
            return h;
        }
    }

    private static final class Uniform extends ReferenceTree {
        private final Hash leaf;
        private final long size;
        private final Map<Long, Hash> byWidth = new HashMap<>();

        Uniform(Hash leaf, long size) {
            this.leaf = leaf;
            this.size = size;
        }

        @Override
        long size() {
            return size;
        }

        @Override
        Hash mth(long lo, long hi) {
            if (lo < 0 || hi < lo || hi > size) {
                throw new AssertionError("no range [" + lo + ", " + hi + ") in " + size + " leaves");
            }
            long n = hi - lo;
            if (n == 1) {
                return leaf;
            }
            Hash h = byWidth.get(n);
            if (h == null) {
                // every leaf is the same, so MTH(D[lo:hi]) depends on the width alone
                h = mthByDefinition(0, n);
                byWidth.put(n, h);
            }
            return h;
        }
    }
}
