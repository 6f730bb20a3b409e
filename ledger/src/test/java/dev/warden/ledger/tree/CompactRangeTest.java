package dev.warden.ledger.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link CompactRange} against the naive MTH of {@link ReferenceTree}, with seeded random leaves. */
class CompactRangeTest {
    private final TestSeed seed = TestSeed.pick();

    @Test
    void root_empty_isEmptyTreeHash() {
        CompactRange range = new CompactRange();
        assertThat(range.size()).isZero();
        assertThat(range.root()).isEqualTo(ReferenceTree.emptyRoot());
    }

    @Test
    void root_everySizeFrom0To600_matchesReferenceMth() {
        List<Hash> leaves = randomLeaves(seed.random(), 600);
        ReferenceTree ref = ReferenceTree.of(leaves);
        CompactRange range = new CompactRange();
        for (int n = 0; n <= 600; n++) {
            int size = n;
            assertThat(range.size()).isEqualTo(n);
            assertThat(range.root()).as(() -> seed.describe("root after %d leaves", size)).isEqualTo(ref.mth(0, size));
            if (n < 600) {
                range.append(leaves.get(n));
            }
        }
    }

    @Test
    void root_randomLargerSizes_matchesReferenceMth() {
        SplittableRandom random = seed.random();
        for (int trial = 0; trial < 3; trial++) {
            int size = 601 + random.nextInt(4400);
            List<Hash> leaves = randomLeaves(random, size);
            CompactRange range = new CompactRange();
            leaves.forEach(range::append);
            assertThat(range.root()).as(() -> seed.describe("root after %d leaves", size))
                    .isEqualTo(ReferenceTree.of(leaves).root());
        }
    }

    @Test
    void appendSubtree_alignedSubtrees_sameRootAsAppendingLeaves() {
        SplittableRandom random = seed.random();
        for (int trial = 0; trial < 40; trial++) {
            int total = 1 + random.nextInt(2000);
            List<Hash> leaves = randomLeaves(random, total);
            ReferenceTree ref = ReferenceTree.of(leaves);
            CompactRange range = new CompactRange();
            List<Integer> heights = new ArrayList<>();
            while (range.size() < total) {
                long size = range.size();
                int alignment = size == 0 ? 62 : Long.numberOfTrailingZeros(size);
                int fits = 63 - Long.numberOfLeadingZeros(total - size); // floor(log2(total - size))
                int height = random.nextInt(Math.min(alignment, fits) + 1);
                heights.add(height);
                range.appendSubtree(ref.mth(size, size + (1L << height)), height);
                assertThat(range.size()).isEqualTo(size + (1L << height));
                assertThat(range.root())
                        .as(() -> seed.describe("root after appending subtrees of heights %s", heights))
                        .isEqualTo(ref.mth(0, range.size()));
            }
        }
    }

    @Test
    void appendSubtree_misaligned_throwsAndLeavesRangeUnchanged() {
        SplittableRandom random = seed.random();
        List<Hash> leaves = randomLeaves(random, 100);
        CompactRange range = new CompactRange();
        for (int n = 1; n <= 100; n++) {
            range.append(leaves.get(n - 1));
            Hash root = range.root();
            int alignment = Long.numberOfTrailingZeros(n);
            for (int height = alignment + 1; height <= alignment + 3; height++) {
                int h = height;
                assertThatIllegalArgumentException().as("subtree of height %d after %d leaves", h, n)
                        .isThrownBy(() -> range.appendSubtree(HasherTest.randomHash(random), h));
                assertThat(range.size()).isEqualTo(n);
                assertThat(range.root()).isEqualTo(root);
            }
        }
    }

    @Test
    void appendSubtree_heightOutOfRange_throws() {
        CompactRange range = new CompactRange();
        Hash h = Hasher.EMPTY_ROOT;
        assertThatIllegalArgumentException().isThrownBy(() -> range.appendSubtree(h, -1)).withMessageContaining("-1");
        assertThatIllegalArgumentException().isThrownBy(() -> range.appendSubtree(h, 63)).withMessageContaining("63");
        assertThat(range.size()).isZero();
    }

    @Test
    void appendSubtree_hugeSizes_matchesReferenceMth() {
        SplittableRandom random = seed.random();
        Hash leaf = ReferenceTree.leafHash(new byte[] {42});
        List<Long> sizes = new ArrayList<>(List.of(Long.MAX_VALUE, 1L << 62, (1L << 62) + 1, (1L << 62) - 1));
        for (int i = 0; i < 20; i++) {
            sizes.add(random.nextLong(1L << 32, Long.MAX_VALUE));
        }
        for (long size : sizes) {
            ReferenceTree ref = ReferenceTree.uniform(leaf, size);
            CompactRange range = new CompactRange();
            for (int height = 62; height >= 0; height--) {
                if ((size & (1L << height)) != 0) {
                    range.appendSubtree(ref.mth(0, 1L << height), height);
                }
            }
            assertThat(range.size()).isEqualTo(size);
            assertThat(range.root()).as(() -> seed.describe("root of %d equal leaves", size)).isEqualTo(ref.root());
        }
    }

    @Test
    void appendSubtree_pastLongMaxValueLeaves_throws() {
        Hash leaf = ReferenceTree.leafHash(new byte[] {42});
        CompactRange full = new CompactRange();
        for (int height = 62; height >= 0; height--) {
            full.appendSubtree(leaf, height); // the hashes do not matter here, only the sizes
        }
        assertThat(full.size()).isEqualTo(Long.MAX_VALUE);
        assertThatIllegalArgumentException().isThrownBy(() -> full.append(leaf));
        assertThat(full.size()).isEqualTo(Long.MAX_VALUE);

        CompactRange half = new CompactRange();
        half.appendSubtree(leaf, 62);
        assertThatIllegalArgumentException().isThrownBy(() -> half.appendSubtree(leaf, 62));
        assertThat(half.size()).isEqualTo(1L << 62);
    }

    @Test
    void copy_divergesFromOriginal() {
        List<Hash> leaves = randomLeaves(seed.random(), 13);
        ReferenceTree ref = ReferenceTree.of(leaves);
        CompactRange range = new CompactRange();
        leaves.subList(0, 7).forEach(range::append);
        CompactRange copy = range.copy();
        leaves.subList(7, 13).forEach(copy::append);
        assertThat(range.size()).isEqualTo(7);
        assertThat(range.root()).isEqualTo(ref.mth(0, 7));
        assertThat(copy.size()).isEqualTo(13);
        assertThat(copy.root()).isEqualTo(ref.mth(0, 13));
    }

    /**
     * Leaf hashes of random data of random length. The data start with the leaf's index, so no two
     * leaves are equal: with equal neighbours, a proof would rightly verify for either of them.
     */
    static List<Hash> randomLeaves(SplittableRandom random, int count) {
        List<Hash> leaves = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            byte[] data = HasherTest.randomBytes(random, 4 + random.nextInt(44));
            data[0] = (byte) (i >>> 24);
            data[1] = (byte) (i >>> 16);
            data[2] = (byte) (i >>> 8);
            data[3] = (byte) i;
            leaves.add(ReferenceTree.leafHash(data));
        }
        return leaves;
    }
}
