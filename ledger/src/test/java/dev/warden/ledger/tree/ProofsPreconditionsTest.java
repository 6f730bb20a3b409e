package dev.warden.ledger.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The preconditions that {@link Proofs} states: generation refuses impossible requests with
 * {@link IllegalArgumentException} before it reads a node, and verification fails closed with
 * {@link ProofException}.
 */
class ProofsPreconditionsTest {
    /** A reader that must not be asked: the preconditions are checked before any read. */
    private static final NodeReader UNREAD = (height, index) -> {
        throw new AssertionError("read node at height " + height + ", index " + index);
    };

    private final ReferenceTree tree = ReferenceTreeTest.rfc6962Tree();

    @Test
    void inclusion_indexNotBelowSize_throws() {
        long[][] cases = {{0, 0}, {5, 5}, {6, 5}, {-1, 5}, {Long.MIN_VALUE, 5}, {Long.MAX_VALUE, 5}, {0, -1}};
        for (long[] c : cases) {
            assertThatIllegalArgumentException().as("index %d, size %d", c[0], c[1])
                    .isThrownBy(() -> Proofs.inclusion(c[0], c[1], UNREAD))
                    .withMessageStartingWith("couldn't build inclusion proof")
                    .withMessageContaining(Long.toString(c[0]));
        }
    }

    @Test
    void inclusion_singleLeafTree_isEmptyWithoutReading() {
        assertThat(Proofs.inclusion(0, 1, UNREAD)).isEmpty();
    }

    @Test
    void consistency_sizesOutOfOrderOrOldSizeZero_throws() {
        long[][] cases = {{0, 0}, {0, 5}, {-1, 5}, {6, 5}, {Long.MIN_VALUE, 5}, {2, 1}};
        for (long[] c : cases) {
            assertThatIllegalArgumentException().as("sizes %d and %d", c[0], c[1])
                    .isThrownBy(() -> Proofs.consistency(c[0], c[1], UNREAD))
                    .withMessageStartingWith("couldn't build consistency proof");
        }
    }

    @Test
    void consistency_equalSizes_isEmptyWithoutReading() {
        assertThat(Proofs.consistency(1, 1, UNREAD)).isEmpty();
        assertThat(Proofs.consistency(7, 7, UNREAD)).isEmpty();
        assertThat(Proofs.consistency(Long.MAX_VALUE, Long.MAX_VALUE, UNREAD)).isEmpty();
    }

    @Test
    void rangeHash_emptyOrNegativeRange_throws() {
        long[][] cases = {{3, 3}, {4, 2}, {-1, 2}, {0, 0}};
        for (long[] c : cases) {
            assertThatIllegalArgumentException().as("range [%d, %d)", c[0], c[1])
                    .isThrownBy(() -> Proofs.rangeHash(c[0], c[1], UNREAD));
        }
    }

    @Test
    void rangeHash_startNotAlignedToLargestSubtree_throws() {
        // [1, 4) would fold as H(d1, H(d2, d3)), but MTH(D[1:4]) is H(H(d1, d2), d3)
        long[][] cases = {{1, 4}, {2, 7}, {4, 13}, {6, 10}};
        for (long[] c : cases) {
            assertThatIllegalArgumentException().as("range [%d, %d)", c[0], c[1])
                    .isThrownBy(() -> Proofs.rangeHash(c[0], c[1], UNREAD));
        }
        assertThat(Proofs.rangeHash(4, 7, tree.reader(8))).isEqualTo(tree.mth(4, 7));
    }

    @Test
    void verifyInclusion_indexNotBelowSize_throwsProofException() {
        Hash leaf = tree.mth(0, 1);
        List<Hash> proof = tree.path(0, 8);
        Hash root = tree.root();
        long[][] cases = {{8, 8}, {9, 8}, {-1, 8}, {0, 0}, {Long.MIN_VALUE, 8}, {-8, -1}};
        for (long[] c : cases) {
            assertThatExceptionOfType(ProofException.class).as("index %d, size %d", c[0], c[1])
                    .isThrownBy(() -> Proofs.verifyInclusion(c[0], c[1], leaf, proof, root))
                    .withMessageContaining("is not below tree size");
        }
    }

    @Test
    void verifyInclusion_singleLeaf_rootIsTheLeaf() throws ProofException {
        Hash leaf = tree.mth(0, 1);
        Proofs.verifyInclusion(0, 1, leaf, List.of(), leaf);
        assertThatExceptionOfType(ProofException.class)
                .isThrownBy(() -> Proofs.verifyInclusion(0, 1, leaf, List.of(leaf), leaf))
                .withMessageContaining("too long");
    }

    @Test
    void verifyInclusion_proofTooShortOrTooLong_namesTheCheck() {
        Hash leaf = tree.mth(5, 6);
        List<Hash> proof = tree.path(5, 8);
        assertThatExceptionOfType(ProofException.class)
                .isThrownBy(() -> Proofs.verifyInclusion(5, 8, leaf, proof.subList(0, 2), tree.root()))
                .withMessageContaining("too short");
        assertThatExceptionOfType(ProofException.class)
                .isThrownBy(() -> Proofs.verifyInclusion(5, 8, leaf, ProofsTest.with(proof, 3, leaf), tree.root()))
                .withMessageContaining("too long");
    }

    @Test
    void verifyConsistency_shrinkingOrNegativeSizes_throwsProofException() {
        Hash root = tree.root();
        long[][] cases = {{2, 1}, {8, 7}, {-1, 8}, {-2, -1}, {Long.MAX_VALUE, 0}};
        for (long[] c : cases) {
            assertThatExceptionOfType(ProofException.class).as("sizes %d and %d", c[0], c[1])
                    .isThrownBy(() -> Proofs.verifyConsistency(c[0], c[1], root, root, List.of(root)))
                    .withMessageContaining("only grows");
        }
    }

    @Test
    void verifyConsistency_fromEmptyTree_throwsProofException() {
        assertThatExceptionOfType(ProofException.class)
                .isThrownBy(() -> Proofs.verifyConsistency(0, 8, Hasher.EMPTY_ROOT, tree.root(), List.of()))
                .withMessageContaining("empty tree");
        assertThatExceptionOfType(ProofException.class)
                .isThrownBy(() -> Proofs.verifyConsistency(0, 8, Hasher.EMPTY_ROOT, tree.root(), List.of(tree.root())));
    }

    @Test
    void verifyConsistency_equalSizes_needsEmptyProofAndEqualRoots() throws ProofException {
        Hash root = tree.root();
        Proofs.verifyConsistency(8, 8, root, root, List.of());
        // size 0 proves nothing even against itself (transparency-dev/merkle's vectors agree)
        assertThatExceptionOfType(ProofException.class)
                .isThrownBy(() -> Proofs.verifyConsistency(0, 0, Hasher.EMPTY_ROOT, Hasher.EMPTY_ROOT, List.of()));
        assertThatExceptionOfType(ProofException.class)
                .isThrownBy(() -> Proofs.verifyConsistency(8, 8, root, root, List.of(root)))
                .withMessageContaining("empty consistency proof");
        assertThatExceptionOfType(ProofException.class)
                .isThrownBy(() -> Proofs.verifyConsistency(8, 8, root, tree.mth(0, 7), List.of()))
                .withMessageContaining("two roots");
    }

    @Test
    void verifyConsistency_emptyProofForGrowth_throwsProofException() {
        assertThatExceptionOfType(ProofException.class)
                .isThrownBy(() -> Proofs.verifyConsistency(4, 8, tree.mth(0, 4), tree.root(), List.of()))
                .withMessageContaining("empty consistency proof");
    }
}
