package dev.warden.ledger.tree;

import java.util.ArrayList;
import java.util.List;

/**
 * Inclusion and consistency proofs of RFC 9162 §2.1.3 and §2.1.4: building them from stored
 * subtree hashes, and verifying them with every check the RFC lists. Verification fails closed:
 * it returns normally only when the proof holds.
 */
public final class Proofs {
    private Proofs() {
    }

    /**
     * RFC 9162 §2.1.3.1, PATH(m, D[n]): the audit path of leaf {@code index} in the tree of
     * {@code size} leaves, leaf's sibling first. Requires {@code 0 <= index < size}.
     */
    public static List<Hash> inclusion(long index, long size, NodeReader reader) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("couldn't build inclusion proof: index " + index
                    + " is not below tree size " + size);
        }
        List<Hash> path = new ArrayList<>();
        // Iterative form of PATH: descend from the root, recording the sibling at each split;
        // the RFC lists siblings bottom-up, so the list is reversed at the end.
        long lo = 0;
        long hi = size;
        while (hi - lo > 1) {
            long k = largestPowerOfTwoBelow(hi - lo);
            if (index < lo + k) {
                path.add(rangeHash(lo + k, hi, reader));
                hi = lo + k;
            } else {
                path.add(perfect(lo, k, reader));
                lo = lo + k;
            }
        }
        return reversed(path);
    }

    /**
     * RFC 9162 §2.1.4.1, PROOF(m, D[n]) = SUBPROOF(m, D[n], true). Requires
     * {@code 0 < size1 <= size2}; the proof for equal sizes is empty.
     */
    public static List<Hash> consistency(long size1, long size2, NodeReader reader) {
        if (size1 <= 0 || size1 > size2) {
            throw new IllegalArgumentException("couldn't build consistency proof: sizes " + size1
                    + " and " + size2 + " need 0 < size1 <= size2");
        }
        List<Hash> siblings = new ArrayList<>();
        Hash bottom = null;
        long m = size1;
        long lo = 0;
        long hi = size2;
        boolean b = true;
        // SUBPROOF(m, D[lo:hi], b), unrolled; siblings collected top-down, emitted bottom-up.
        while (true) {
            long n = hi - lo;
            if (m == n) {
                if (!b) {
                    bottom = rangeHash(lo, hi, reader);
                }
                break;
            }
            long k = largestPowerOfTwoBelow(n);
            if (m <= k) {
                siblings.add(rangeHash(lo + k, hi, reader));
                hi = lo + k;
            } else {
                siblings.add(perfect(lo, k, reader));
                lo = lo + k;
                m = m - k;
                b = false;
            }
        }
        // SUBPROOF emits the deepest part first, then each sibling on the way back up.
        List<Hash> out = new ArrayList<>(siblings.size() + 1);
        if (bottom != null) {
            out.add(bottom);
        }
        out.addAll(reversed(siblings));
        return out;
    }

    /**
     * MTH(D[lo:hi]) from stored subtrees: [lo, hi) splits into aligned perfect subtrees, largest
     * first, and the right fold of their hashes is the MTH (RFC 9162 §2.1.1).
     * Requires {@code 0 <= lo < hi} and {@code lo} aligned to the largest of those subtrees, which
     * holds for every range that PATH and SUBPROOF visit.
     */
    public static Hash rangeHash(long lo, long hi, NodeReader reader) {
        if (lo < 0 || hi <= lo || lo % Long.highestOneBit(hi - lo) != 0) {
            throw new IllegalArgumentException("couldn't hash range [" + lo + ", " + hi
                    + "): it needs 0 <= lo < hi, with lo a multiple of the largest power of two <= hi - lo");
        }
        List<Hash> parts = new ArrayList<>();
        long at = lo;
        while (at < hi) {
            long width = Long.highestOneBit(hi - at);
            while (at % width != 0) {
                width >>= 1;
            }
            parts.add(reader.node(Long.numberOfTrailingZeros(width), at / width));
            at += width;
        }
        Hasher hasher = Hasher.get();
        Hash r = parts.get(parts.size() - 1);
        for (int i = parts.size() - 2; i >= 0; i--) {
            r = hasher.node(parts.get(i), r);
        }
        return r;
    }

    /**
     * RFC 9162 §2.1.3.2: verifies that {@code leafHash} is leaf {@code index} of the tree of
     * {@code size} leaves with root {@code root}.
     *
     * @throws ProofException naming the check that failed
     */
    public static void verifyInclusion(long index, long size, Hash leafHash, List<Hash> proof, Hash root)
            throws ProofException {
        Hash computed = rootFromInclusion(index, size, leafHash, proof);
        if (!computed.equals(root)) {
            throw new ProofException("inclusion proof for leaf " + index + " in tree of size " + size
                    + " gives root " + computed + ", expected " + root);
        }
    }

    /**
     * {@link #verifyInclusion(long, long, Hash, List, Hash)} for hashes as they arrive on the
     * wire, of any length: each must be exactly 32 bytes, or the proof fails.
     */
    public static void verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root)
            throws ProofException {
        verifyInclusion(index, size, wire("leaf hash", leafHash), wire(proof), wire("root", root));
    }

    /**
     * {@link #verifyConsistency(long, long, Hash, Hash, List)} for hashes as they arrive on the
     * wire. For equal sizes nothing is hashed, so the roots are compared as given (as
     * transparency-dev/merkle does); otherwise every hash must be exactly 32 bytes.
     */
    public static void verifyConsistency(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof)
            throws ProofException {
        if (size1 > 0 && size1 == size2) {
            if (!proof.isEmpty()) {
                throw new ProofException("equal sizes " + size1 + " need an empty consistency proof, not "
                        + proof.size() + " hashes");
            }
            if (!java.util.Arrays.equals(root1, root2)) {
                throw new ProofException("two roots for the same size " + size1);
            }
            return;
        }
        verifyConsistency(size1, size2, wire("old root", root1), wire("new root", root2), wire(proof));
    }

    private static Hash wire(String what, byte[] bytes) throws ProofException {
        if (bytes == null || bytes.length != Hash.SIZE) {
            throw new ProofException(what + " has " + (bytes == null ? 0 : bytes.length) + " bytes, a hash has "
                    + Hash.SIZE);
        }
        return new Hash(bytes);
    }

    private static List<Hash> wire(List<byte[]> proof) throws ProofException {
        List<Hash> out = new ArrayList<>(proof.size());
        for (int i = 0; i < proof.size(); i++) {
            out.add(wire("proof hash " + i, proof.get(i)));
        }
        return out;
    }

    /**
     * RFC 9162 §2.1.3.2 steps 1–4 up to the final comparison: the root that {@code proof}
     * implies for the leaf.
     */
    public static Hash rootFromInclusion(long index, long size, Hash leafHash, List<Hash> proof)
            throws ProofException {
        // Step 1: the index must lie inside the tree.
        if (index < 0 || index >= size) {
            throw new ProofException("leaf index " + index + " is not below tree size " + size);
        }
        // Step 2.
        long fn = index;
        long sn = size - 1;
        Hash r = leafHash;
        Hasher hasher = Hasher.get();
        // Step 3.
        for (int i = 0; i < proof.size(); i++) {
            Hash p = proof.get(i);
            if (sn == 0) {
                throw new ProofException("inclusion proof for leaf " + index + " in tree of size " + size
                        + " is too long: " + proof.size() + " hashes, " + i + " expected");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = hasher.node(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = hasher.node(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        // Step 4: every level must have been consumed.
        if (sn != 0) {
            throw new ProofException("inclusion proof for leaf " + index + " in tree of size " + size
                    + " is too short: " + proof.size() + " hashes");
        }
        return r;
    }

    /**
     * RFC 9162 §2.1.4.2: verifies that the tree of {@code size1} leaves with root {@code root1}
     * is a prefix of the tree of {@code size2} leaves with root {@code root2}.
     * Equal sizes need an empty proof and equal roots; an old size of 0 is refused, even against
     * size 0, as a consistency proof from the empty tree proves nothing (as transparency-dev/merkle).
     *
     * @throws ProofException naming the check that failed
     */
    public static void verifyConsistency(long size1, long size2, Hash root1, Hash root2, List<Hash> proof)
            throws ProofException {
        if (size1 < 0 || size2 < size1) {
            throw new ProofException("tree size went from " + size1 + " to " + size2 + ": a log only grows");
        }
        if (size1 == 0) {
            throw new ProofException("a consistency proof from the empty tree proves nothing");
        }
        if (size1 == size2) {
            if (!proof.isEmpty()) {
                throw new ProofException("equal sizes " + size1 + " need an empty consistency proof, not "
                        + proof.size() + " hashes");
            }
            if (!root1.equals(root2)) {
                throw new ProofException("two roots for the same size " + size1 + ": " + root1 + " and " + root2);
            }
            return;
        }
        // Step 1.
        if (proof.isEmpty()) {
            throw new ProofException("empty consistency proof from size " + size1 + " to " + size2);
        }
        // Step 2: if size1 is a power of two, the old root is the first node of the path.
        List<Hash> path = proof;
        if (Long.bitCount(size1) == 1) {
            path = new ArrayList<>(proof.size() + 1);
            path.add(root1);
            path.addAll(proof);
        }
        // Step 3.
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        // Step 4.
        Hash fr = path.get(0);
        Hash sr = path.get(0);
        Hasher hasher = Hasher.get();
        // Step 5.
        for (int i = 1; i < path.size(); i++) {
            Hash c = path.get(i);
            if (sn == 0) {
                throw new ProofException("consistency proof from size " + size1 + " to " + size2
                        + " is too long: " + proof.size() + " hashes");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = hasher.node(c, fr);
                sr = hasher.node(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = hasher.node(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        // Step 6.
        if (sn != 0) {
            throw new ProofException("consistency proof from size " + size1 + " to " + size2
                    + " is too short: " + proof.size() + " hashes");
        }
        if (!fr.equals(root1)) {
            throw new ProofException("consistency proof gives old root " + fr + " at size " + size1
                    + ", expected " + root1);
        }
        if (!sr.equals(root2)) {
            throw new ProofException("consistency proof gives new root " + sr + " at size " + size2
                    + ", expected " + root2);
        }
    }

    /** The largest power of two strictly below {@code n}; requires {@code n > 1} (RFC 9162 §2.1.1). */
    static long largestPowerOfTwoBelow(long n) {
        return Long.highestOneBit(n - 1);
    }

    private static Hash perfect(long lo, long width, NodeReader reader) {
        int height = Long.numberOfTrailingZeros(width);
        return reader.node(height, lo >> height);
    }

    private static List<Hash> reversed(List<Hash> list) {
        List<Hash> out = new ArrayList<>(list.size());
        for (int i = list.size() - 1; i >= 0; i--) {
            out.add(list.get(i));
        }
        return out;
    }
}
