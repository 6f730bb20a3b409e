package dev.warden.ledger.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Hasher} against the independent hashing of {@link ReferenceTree}. */
class HasherTest {
    private final TestSeed seed = TestSeed.pick();

    @Test
    void emptyRoot_isSha256OfNothing() {
        assertThat(Hasher.EMPTY_ROOT).isEqualTo(ReferenceTree.emptyRoot());
    }

    @Test
    void leaf_rfc6962TestLeaves_matchReference() {
        for (byte[] d : ReferenceTreeTest.RFC6962_LEAVES) {
            assertThat(Hasher.get().leaf(d)).isEqualTo(ReferenceTree.leafHash(d));
        }
        assertThat(Hasher.get().leaf(new byte[0]).hex()).isEqualTo(ReferenceTreeTest.RFC6962_ROOTS[0]);
    }

    @Test
    void leafBytes_slice_hashesOnlyTheSlice() {
        byte[] data = {9, 9, 1, 2, 3, 9};
        assertThat(new Hash(Hasher.get().leafBytes(data, 2, 3))).isEqualTo(ReferenceTree.leafHash(new byte[] {1, 2, 3}));
    }

    @Test
    void node_bothForms_matchReference() {
        SplittableRandom random = seed.random();
        Hasher hasher = new Hasher();
        for (int i = 0; i < 50; i++) {
            Hash left = randomHash(random);
            Hash right = randomHash(random);
            Hash expected = ReferenceTree.nodeHash(left, right);
            assertThat(hasher.node(left, right)).as(() -> seed.describe("node(%s, %s)", left, right)).isEqualTo(expected);

            byte[] packed = new byte[3 * Hash.SIZE];
            right.copyInto(packed, 0);
            left.copyInto(packed, Hash.SIZE);
            byte[] out = new byte[Hash.SIZE + 5];
            hasher.node(packed, Hash.SIZE, 0, out, 5);
            assertThat(Hash.of(out, 5)).as(() -> seed.describe("packed node(%s, %s)", left, right)).isEqualTo(expected);
        }
    }

    @Test
    void perfectSubtree_powersOfTwo_matchReferenceMth() {
        SplittableRandom random = seed.random();
        for (int count = 1; count <= 1024; count *= 2) {
            int offsetHashes = random.nextInt(4);
            List<Hash> leaves = new ArrayList<>();
            byte[] packed = new byte[(offsetHashes + count) * Hash.SIZE];
            for (int i = 0; i < count; i++) {
                Hash leaf = ReferenceTree.leafHash(randomBytes(random, random.nextInt(40)));
                leaves.add(leaf);
                leaf.copyInto(packed, (offsetHashes + i) * Hash.SIZE);
            }
            int c = count;
            assertThat(Hasher.get().perfectSubtree(packed, offsetHashes * Hash.SIZE, count))
                    .as(() -> seed.describe("perfectSubtree of %d hashes at offset %d", c, offsetHashes))
                    .isEqualTo(ReferenceTree.of(leaves).root());
        }
    }

    @Test
    void perfectSubtree_notAPowerOfTwo_throws() {
        byte[] packed = new byte[8 * Hash.SIZE];
        for (int count : new int[] {0, -1, 3, 5, 6, 7, Integer.MIN_VALUE}) {
            assertThatIllegalArgumentException().as("count %d", count)
                    .isThrownBy(() -> Hasher.get().perfectSubtree(packed, 0, count))
                    .withMessageContaining(Integer.toString(count));
        }
    }

    static Hash randomHash(SplittableRandom random) {
        return new Hash(randomBytes(random, Hash.SIZE));
    }

    static byte[] randomBytes(SplittableRandom random, int length) {
        byte[] b = new byte[length];
        random.nextBytes(b);
        return b;
    }
}
