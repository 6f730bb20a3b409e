package dev.warden.ledger.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link Proofs} against the naive PATH and PROOF of {@link ReferenceTree}, with seeded random
 * leaves: generated proofs must equal the reference's, must verify, and must stop verifying under
 * any single-bit flip, a wrong index or a wrong size.
 *
 * <p>A wrong size does not always break a proof, and that is RFC 9162, not a bug: the verifier
 * combines the hashes by the proof's shape alone (which side each sibling is on), so a proof also
 * verifies under any other (index, size) with the same shape. PATH(0, D[3]) verifies as PATH(0,
 * D[4]) against the same root, for instance. The size is bound by the root, which a checkpoint
 * signs together with it. So a mutated (index, size) is expected to verify exactly when its shape
 * equals the original's, as {@link ReferenceTree#inclusionShape} and
 * {@link ReferenceTree#consistencyShape} compute from the RFC's recursion.
 */
class ProofsTest {
    private static final int SMALL = 64;
    private static final int MEDIUM = 600;
    private static final int LARGE = 5000;

    private final TestSeed seed = TestSeed.pick();

    // ---- inclusion ----

    @Test
    void inclusion_everyLeafOfEveryTreeUpTo64_matchesReferenceAndVerifiesOnlyUnchanged() {
        SplittableRandom random = seed.random();
        ReferenceTree ref = ReferenceTree.of(CompactRangeTest.randomLeaves(random, SMALL));
        int rejected = 0;
        for (long size = 1; size <= SMALL; size++) {
            for (long index = 0; index < size; index++) {
                rejected += checkInclusion(ref, index, size, random, true);
            }
        }
        assertThat(rejected).as("mutated inclusion proofs that were rejected").isGreaterThan(100_000);
    }

    @Test
    void inclusion_randomLeavesOfLargerTrees_matchesReferenceAndVerifiesOnlyUnchanged() {
        SplittableRandom random = seed.random();
        ReferenceTree medium = ReferenceTree.of(CompactRangeTest.randomLeaves(random, MEDIUM));
        for (int i = 0; i < 300; i++) {
            long size = 1 + random.nextInt(MEDIUM);
            checkInclusion(medium, random.nextLong(size), size, random, false);
        }
        ReferenceTree large = ReferenceTree.of(CompactRangeTest.randomLeaves(random, LARGE));
        for (int i = 0; i < 30; i++) {
            long size = MEDIUM + 1 + random.nextInt(LARGE - MEDIUM);
            checkInclusion(large, random.nextLong(size), size, random, false);
        }
        checkInclusion(large, LARGE - 1, LARGE, random, false);
        checkInclusion(large, 0, LARGE, random, false);
    }

    @Test
    void inclusion_hugeTrees_matchesReferenceAndVerifies() {
        SplittableRandom random = seed.random();
        Hash leaf = ReferenceTree.leafHash(new byte[] {7});
        List<long[]> cases = new ArrayList<>(List.of(
                new long[] {Long.MAX_VALUE - 1, Long.MAX_VALUE},
                new long[] {0, Long.MAX_VALUE},
                new long[] {1L << 62, Long.MAX_VALUE},
                new long[] {(1L << 62) - 1, 1L << 62},
                new long[] {1L << 62, (1L << 62) + 1}));
        for (int i = 0; i < 20; i++) {
            long size = random.nextLong(1L << 32, Long.MAX_VALUE);
            cases.add(new long[] {random.nextLong(size), size});
        }
        for (long[] c : cases) {
            long index = c[0];
            long size = c[1];
            // all leaves are equal, so only the hashes and flips are checked, not other indices
            ReferenceTree ref = ReferenceTree.uniform(leaf, size);
            List<Hash> proof = Proofs.inclusion(index, size, ref.reader(size));
            assertThat(proof).as(() -> seed.describe("PATH(%d, D[%d])", index, size)).isEqualTo(ref.path(index, size));
            assertThat(verifiesInclusion(index, size, leaf, proof, ref.root()))
                    .as(() -> seed.describe("inclusion of %d in %d verifies", index, size)).isTrue();
            for (int i = 0; i < proof.size(); i++) {
                int at = i;
                assertThat(verifiesInclusion(index, size, leaf, flip(proof, i, random.nextInt(256)), ref.root()))
                        .as(() -> seed.describe("inclusion of %d in %d with hash %d flipped", index, size, at)).isFalse();
            }
        }
    }

    @Test
    void verifyInclusion_everyBitFlipped_throws() {
        ReferenceTree ref = ReferenceTreeTest.rfc6962Tree();
        for (long[] c : new long[][] {{5, 8}, {0, 7}, {6, 7}, {2, 3}}) {
            long index = c[0];
            long size = c[1];
            List<Hash> proof = Proofs.inclusion(index, size, ref.reader(size));
            Hash leaf = ref.mth(index, index + 1);
            Hash root = ref.mth(0, size);
            for (int bit = 0; bit < 256; bit++) {
                int b = bit;
                for (int i = 0; i < proof.size(); i++) {
                    int at = i;
                    assertThat(verifiesInclusion(index, size, leaf, flip(proof, i, bit), root))
                            .as("PATH(%d, D[%d]) with bit %d of hash %d flipped", index, size, b, at).isFalse();
                }
                assertThat(verifiesInclusion(index, size, flip(leaf, bit), proof, root))
                        .as("leaf %d with bit %d flipped", index, b).isFalse();
                assertThat(verifiesInclusion(index, size, leaf, proof, flip(root, bit)))
                        .as("root of %d with bit %d flipped", size, b).isFalse();
            }
        }
    }

    /**
     * Checks one inclusion proof against the reference, then its mutations; returns how many
     * mutations were rejected. {@code exhaustive} tries every other index and many sizes.
     */
    private int checkInclusion(ReferenceTree ref, long index, long size, SplittableRandom random, boolean exhaustive) {
        List<Hash> proof = Proofs.inclusion(index, size, ref.reader(size));
        Hash leaf = ref.mth(index, index + 1);
        Hash root = ref.mth(0, size);
        assertThat(proof).as(() -> seed.describe("PATH(%d, D[%d])", index, size)).isEqualTo(ref.path(index, size));
        assertThat(verifiesInclusion(index, size, leaf, proof, root))
                .as(() -> seed.describe("inclusion of %d in %d verifies", index, size)).isTrue();
        try {
            assertThat(Proofs.rootFromInclusion(index, size, leaf, proof))
                    .as(() -> seed.describe("root from inclusion of %d in %d", index, size)).isEqualTo(root);
        } catch (ProofException e) {
            throw new AssertionError(seed.describe("inclusion of %d in %d: %s", index, size, e.getMessage()), e);
        }

        int rejected = 0;
        List<List<Hash>> badProofs = new ArrayList<>();
        for (int i = 0; i < proof.size(); i++) {
            badProofs.add(flip(proof, i, random.nextInt(256)));
        }
        if (!proof.isEmpty()) {
            badProofs.add(proof.subList(0, proof.size() - 1));
        }
        badProofs.add(with(proof, proof.size(), HasherTest.randomHash(random)));
        badProofs.add(with(proof, 0, HasherTest.randomHash(random)));
        for (List<Hash> bad : badProofs) {
            assertThat(verifiesInclusion(index, size, leaf, bad, root))
                    .as(() -> seed.describe("inclusion of %d in %d with altered proof %s, was %s", index, size, bad, proof))
                    .isFalse();
            rejected++;
        }
        assertThat(verifiesInclusion(index, size, flip(leaf, random.nextInt(256)), proof, root))
                .as(() -> seed.describe("inclusion of %d in %d with altered leaf", index, size)).isFalse();
        assertThat(verifiesInclusion(index, size, leaf, proof, flip(root, random.nextInt(256))))
                .as(() -> seed.describe("inclusion of %d in %d with altered root", index, size)).isFalse();
        rejected += 2;

        Set<Long> indices = new LinkedHashSet<>(List.of(-1L, Long.MIN_VALUE, size, size + 1, Long.MAX_VALUE));
        Set<Long> sizes = new LinkedHashSet<>(List.of(0L, -1L, index, size - 1, size + 1, size * 2, size / 2,
                Long.MAX_VALUE, Long.highestOneBit(size) * 2, size ^ (1L << random.nextInt(12))));
        if (exhaustive) {
            for (long i = 0; i < size; i++) {
                indices.add(i);
            }
            for (long s = 1; s <= 2 * size + 2; s++) {
                sizes.add(s);
            }
        } else {
            indices.addAll(List.of(index - 1, index + 1, index ^ 1, index ^ (1L << random.nextInt(12)), random.nextLong(size)));
            for (int i = 0; i < 10; i++) {
                sizes.add(index + 1 + random.nextLong(3 * size));
            }
        }
        indices.remove(index);
        sizes.remove(size);
        for (long wrongIndex : indices) {
            boolean expected = sameInclusionShape(wrongIndex, size, index, size);
            assertThat(verifiesInclusion(wrongIndex, size, leaf, proof, root))
                    .as(() -> seed.describe("PATH(%d, D[%d]) verifying as leaf %d", index, size, wrongIndex))
                    .isEqualTo(expected);
            rejected += expected ? 0 : 1;
        }
        for (long wrongSize : sizes) {
            boolean expected = sameInclusionShape(index, wrongSize, index, size);
            assertThat(verifiesInclusion(index, wrongSize, leaf, proof, root))
                    .as(() -> seed.describe("PATH(%d, D[%d]) verifying in size %d", index, size, wrongSize))
                    .isEqualTo(expected);
            rejected += expected ? 0 : 1;
        }
        return rejected;
    }

    private static boolean sameInclusionShape(long index, long size, long originalIndex, long originalSize) {
        return index >= 0 && index < size
                && ReferenceTree.inclusionShape(index, size).equals(ReferenceTree.inclusionShape(originalIndex, originalSize));
    }

    // ---- consistency ----

    @Test
    void consistency_everyPairOfSizesUpTo64_matchesReferenceAndVerifiesOnlyUnchanged() {
        SplittableRandom random = seed.random();
        ReferenceTree ref = ReferenceTree.of(CompactRangeTest.randomLeaves(random, SMALL));
        int rejected = 0;
        for (long size2 = 1; size2 <= SMALL; size2++) {
            for (long size1 = 1; size1 <= size2; size1++) {
                rejected += checkConsistency(ref, size1, size2, random, true);
            }
        }
        assertThat(rejected).as("mutated consistency proofs that were rejected").isGreaterThan(100_000);
    }

    @Test
    void consistency_randomPairsOfLargerSizes_matchesReferenceAndVerifiesOnlyUnchanged() {
        SplittableRandom random = seed.random();
        ReferenceTree medium = ReferenceTree.of(CompactRangeTest.randomLeaves(random, MEDIUM));
        for (int i = 0; i < 300; i++) {
            long size2 = 1 + random.nextInt(MEDIUM);
            checkConsistency(medium, 1 + random.nextLong(size2), size2, random, false);
        }
        ReferenceTree large = ReferenceTree.of(CompactRangeTest.randomLeaves(random, LARGE));
        for (int i = 0; i < 30; i++) {
            long size2 = MEDIUM + 1 + random.nextInt(LARGE - MEDIUM);
            checkConsistency(large, 1 + random.nextLong(size2), size2, random, false);
        }
        checkConsistency(large, 1, LARGE, random, false);
        checkConsistency(large, LARGE - 1, LARGE, random, false);
        checkConsistency(large, 4096, LARGE, random, false);
    }

    @Test
    void consistency_hugeTrees_matchesReferenceAndVerifies() {
        SplittableRandom random = seed.random();
        Hash leaf = ReferenceTree.leafHash(new byte[] {7});
        List<long[]> cases = new ArrayList<>(List.of(
                new long[] {1, Long.MAX_VALUE},
                new long[] {Long.MAX_VALUE - 1, Long.MAX_VALUE},
                new long[] {1L << 62, Long.MAX_VALUE},
                new long[] {(1L << 62) - 1, 1L << 62},
                new long[] {Long.MAX_VALUE, Long.MAX_VALUE}));
        for (int i = 0; i < 20; i++) {
            long size2 = random.nextLong(1L << 32, Long.MAX_VALUE);
            cases.add(new long[] {1 + random.nextLong(size2), size2});
        }
        ReferenceTree ref = ReferenceTree.uniform(leaf, Long.MAX_VALUE);
        for (long[] c : cases) {
            long size1 = c[0];
            long size2 = c[1];
            List<Hash> proof = Proofs.consistency(size1, size2, ref.reader(size2));
            assertThat(proof).as(() -> seed.describe("PROOF(%d, D[%d])", size1, size2)).isEqualTo(ref.proof(size1, size2));
            Hash root1 = ref.mth(0, size1);
            Hash root2 = ref.mth(0, size2);
            assertThat(verifiesConsistency(size1, size2, root1, root2, proof))
                    .as(() -> seed.describe("consistency from %d to %d verifies", size1, size2)).isTrue();
            for (int i = 0; i < proof.size(); i++) {
                int at = i;
                assertThat(verifiesConsistency(size1, size2, root1, root2, flip(proof, i, random.nextInt(256))))
                        .as(() -> seed.describe("consistency from %d to %d with hash %d flipped", size1, size2, at))
                        .isFalse();
            }
        }
    }

    @Test
    void verifyConsistency_everyBitFlipped_throws() {
        ReferenceTree ref = ReferenceTreeTest.rfc6962Tree();
        for (long[] c : new long[][] {{6, 8}, {1, 8}, {2, 5}, {3, 7}, {4, 4}}) {
            long size1 = c[0];
            long size2 = c[1];
            List<Hash> proof = Proofs.consistency(size1, size2, ref.reader(size2));
            Hash root1 = ref.mth(0, size1);
            Hash root2 = ref.mth(0, size2);
            for (int bit = 0; bit < 256; bit++) {
                int b = bit;
                for (int i = 0; i < proof.size(); i++) {
                    int at = i;
                    assertThat(verifiesConsistency(size1, size2, root1, root2, flip(proof, i, bit)))
                            .as("PROOF(%d, D[%d]) with bit %d of hash %d flipped", size1, size2, b, at).isFalse();
                }
                assertThat(verifiesConsistency(size1, size2, flip(root1, bit), root2, proof))
                        .as("old root with bit %d flipped", b).isFalse();
                assertThat(verifiesConsistency(size1, size2, root1, flip(root2, bit), proof))
                        .as("new root with bit %d flipped", b).isFalse();
            }
        }
    }

    /**
     * Checks one consistency proof against the reference, then its mutations; returns how many
     * mutations were rejected. {@code exhaustive} tries every other old size and many new ones.
     */
    private int checkConsistency(ReferenceTree ref, long size1, long size2, SplittableRandom random, boolean exhaustive) {
        List<Hash> proof = Proofs.consistency(size1, size2, ref.reader(size2));
        Hash root1 = ref.mth(0, size1);
        Hash root2 = ref.mth(0, size2);
        assertThat(proof).as(() -> seed.describe("PROOF(%d, D[%d])", size1, size2)).isEqualTo(ref.proof(size1, size2));
        assertThat(verifiesConsistency(size1, size2, root1, root2, proof))
                .as(() -> seed.describe("consistency from %d to %d verifies", size1, size2)).isTrue();

        int rejected = 0;
        List<List<Hash>> badProofs = new ArrayList<>();
        for (int i = 0; i < proof.size(); i++) {
            badProofs.add(flip(proof, i, random.nextInt(256)));
        }
        if (!proof.isEmpty()) {
            badProofs.add(proof.subList(0, proof.size() - 1));
        }
        badProofs.add(with(proof, proof.size(), HasherTest.randomHash(random)));
        badProofs.add(with(proof, 0, HasherTest.randomHash(random)));
        for (List<Hash> bad : badProofs) {
            assertThat(verifiesConsistency(size1, size2, root1, root2, bad))
                    .as(() -> seed.describe("consistency from %d to %d with altered proof %s, was %s", size1, size2, bad, proof))
                    .isFalse();
            rejected++;
        }
        assertThat(verifiesConsistency(size1, size2, flip(root1, random.nextInt(256)), root2, proof))
                .as(() -> seed.describe("consistency from %d to %d with altered old root", size1, size2)).isFalse();
        assertThat(verifiesConsistency(size1, size2, root1, flip(root2, random.nextInt(256)), proof))
                .as(() -> seed.describe("consistency from %d to %d with altered new root", size1, size2)).isFalse();
        rejected += 2;
        if (size1 != size2) {
            assertThat(verifiesConsistency(size1, size2, root2, root1, proof))
                    .as(() -> seed.describe("consistency from %d to %d with swapped roots", size1, size2)).isFalse();
            rejected++;
        }

        Set<Long> olds = new LinkedHashSet<>(List.of(0L, -1L, Long.MIN_VALUE, size2, size2 + 1, size1 - 1, size1 + 1,
                size1 * 2, size1 / 2, size1 ^ (1L << random.nextInt(12))));
        Set<Long> news = new LinkedHashSet<>(List.of(0L, -1L, size1 - 1, size1, size2 - 1, size2 + 1, size2 * 2,
                size2 / 2, Long.MAX_VALUE, Long.highestOneBit(size2) * 2, size2 ^ (1L << random.nextInt(12))));
        if (exhaustive) {
            for (long s = 1; s <= size2; s++) {
                olds.add(s);
            }
            for (long s = size1; s <= 2 * size2 + 2; s++) {
                news.add(s);
            }
        } else {
            for (int i = 0; i < 5; i++) {
                olds.add(1 + random.nextLong(size2));
                news.add(size1 + random.nextLong(3 * size2));
            }
        }
        olds.remove(size1);
        news.remove(size2);
        for (long wrongOld : olds) {
            boolean expected = sameConsistencyShape(wrongOld, size2, size1, size2);
            assertThat(verifiesConsistency(wrongOld, size2, root1, root2, proof))
                    .as(() -> seed.describe("PROOF(%d, D[%d]) verifying from size %d", size1, size2, wrongOld))
                    .isEqualTo(expected);
            rejected += expected ? 0 : 1;
        }
        for (long wrongNew : news) {
            boolean expected = sameConsistencyShape(size1, wrongNew, size1, size2);
            assertThat(verifiesConsistency(size1, wrongNew, root1, root2, proof))
                    .as(() -> seed.describe("PROOF(%d, D[%d]) verifying to size %d", size1, size2, wrongNew))
                    .isEqualTo(expected);
            rejected += expected ? 0 : 1;
        }
        return rejected;
    }

    private static boolean sameConsistencyShape(long size1, long size2, long originalSize1, long originalSize2) {
        return size1 > 0 && size1 <= size2
                && ReferenceTree.consistencyShape(size1, size2).equals(ReferenceTree.consistencyShape(originalSize1, originalSize2));
    }

    // ---- rangeHash ----

    @Test
    void rangeHash_everyAlignedRange_matchesReferenceMth() {
        ReferenceTree ref = ReferenceTree.of(CompactRangeTest.randomLeaves(seed.random(), SMALL));
        NodeReader reader = ref.reader(SMALL);
        int checked = 0;
        for (long lo = 0; lo < SMALL; lo++) {
            for (long hi = lo + 1; hi <= SMALL; hi++) {
                if (lo % Long.highestOneBit(hi - lo) == 0) {
                    long from = lo;
                    long to = hi;
                    assertThat(Proofs.rangeHash(lo, hi, reader))
                            .as(() -> seed.describe("MTH(D[%d:%d])", from, to)).isEqualTo(ref.mth(lo, hi));
                    checked++;
                }
            }
        }
        assertThat(checked).isGreaterThan(SMALL);
    }

    // ---- helpers ----

    static boolean verifiesInclusion(long index, long size, Hash leaf, List<Hash> proof, Hash root) {
        try {
            Proofs.verifyInclusion(index, size, leaf, proof, root);
            return true;
        } catch (ProofException e) {
            return false;
        }
    }

    static boolean verifiesConsistency(long size1, long size2, Hash root1, Hash root2, List<Hash> proof) {
        try {
            Proofs.verifyConsistency(size1, size2, root1, root2, proof);
            return true;
        } catch (ProofException e) {
            return false;
        }
    }

    static Hash flip(Hash hash, int bit) {
        byte[] b = hash.bytes();
        b[bit / 8] ^= (byte) (1 << (bit % 8));
        return new Hash(b);
    }

    static List<Hash> flip(List<Hash> proof, int index, int bit) {
        List<Hash> out = new ArrayList<>(proof);
        out.set(index, flip(proof.get(index), bit));
        return out;
    }

    static List<Hash> with(List<Hash> proof, int at, Hash extra) {
        List<Hash> out = new ArrayList<>(proof);
        out.add(at, extra);
        return out;
    }
}
