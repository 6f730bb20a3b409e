package dev.warden.ledger.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Pins the naive {@link ReferenceTree} to known answers before the fast code is checked against
 * it: the eight-leaf tree of the RFC 6962 test data (also used by transparency-dev/merkle and by
 * the peer vectors), with its roots, audit paths and consistency proofs.
 */
class ReferenceTreeTest {
    /** The leaf data D[0..7] of the RFC 6962 test tree. */
    static final byte[][] RFC6962_LEAVES = {
        hex(""), hex("00"), hex("10"), hex("2021"), hex("3031"), hex("40414243"),
        hex("5051525354555657"), hex("606162636465666768696a6b6c6d6e6f"),
    };

    /** MTH(D[0:n]) for n = 1..8. */
    static final String[] RFC6962_ROOTS = {
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    };

    static ReferenceTree rfc6962Tree() {
        List<Hash> leaves = new ArrayList<>();
        for (byte[] d : RFC6962_LEAVES) {
            leaves.add(ReferenceTree.leafHash(d));
        }
        return ReferenceTree.of(leaves);
    }

    @Test
    void emptyRoot_isSha256OfNothing() {
        assertThat(ReferenceTree.emptyRoot().hex())
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(ReferenceTree.of(List.of()).root()).isEqualTo(ReferenceTree.emptyRoot());
    }

    @Test
    void mth_rfc6962TestLeaves_matchesPublishedRoots() {
        ReferenceTree tree = rfc6962Tree();
        for (int n = 1; n <= 8; n++) {
            assertThat(tree.mth(0, n).hex()).as("MTH(D[0:%d])", n).isEqualTo(RFC6962_ROOTS[n - 1]);
        }
    }

    @Test
    void path_rfc6962TestLeaves_matchesPublishedPaths() {
        ReferenceTree tree = rfc6962Tree();
        assertThat(hexes(tree.path(0, 8))).containsExactly(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
        assertThat(hexes(tree.path(5, 8))).containsExactly(
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
        assertThat(hexes(tree.path(2, 3))).containsExactly(
                "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125");
        assertThat(hexes(tree.path(1, 5))).containsExactly(
                "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
        assertThat(tree.path(0, 1)).isEmpty();
    }

    @Test
    void proof_rfc6962TestLeaves_matchesPublishedProofs() {
        ReferenceTree tree = rfc6962Tree();
        assertThat(hexes(tree.proof(1, 8))).containsExactly(
                "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4");
        assertThat(hexes(tree.proof(6, 8))).containsExactly(
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
        assertThat(hexes(tree.proof(2, 5))).containsExactly(
                "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
                "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b");
        assertThat(hexes(tree.proof(6, 7))).containsExactly(
                "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
                "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
                "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7");
        assertThat(tree.proof(8, 8)).isEmpty();
    }

    @Test
    void uniformTree_agreesWithListedTreeOfEqualLeaves() {
        Hash leaf = ReferenceTree.leafHash(hex("2a"));
        List<Hash> leaves = new ArrayList<>();
        for (int i = 0; i < 70; i++) {
            leaves.add(leaf);
        }
        ReferenceTree listed = ReferenceTree.of(leaves);
        ReferenceTree uniform = ReferenceTree.uniform(leaf, 70);
        for (int n = 1; n <= 70; n++) {
            assertThat(uniform.mth(0, n)).as("MTH of %d equal leaves", n).isEqualTo(listed.mth(0, n));
            assertThat(uniform.path(n / 3, n)).as("PATH(%d, D[%d])", n / 3, n).isEqualTo(listed.path(n / 3, n));
            assertThat(uniform.proof((n + 1) / 2, n)).isEqualTo(listed.proof((n + 1) / 2, n));
        }
    }

    @Test
    void shapes_matchTheRfcRecursion() {
        assertThat(ReferenceTree.inclusionShape(0, 1)).isEmpty();
        assertThat(ReferenceTree.inclusionShape(0, 8)).isEqualTo("RRR");
        assertThat(ReferenceTree.inclusionShape(5, 8)).isEqualTo("LRL");
        assertThat(ReferenceTree.inclusionShape(2, 3)).isEqualTo("L");
        assertThat(ReferenceTree.consistencyShape(8, 8)).isEmpty();
        assertThat(ReferenceTree.consistencyShape(1, 8)).isEqualTo("RRR");
        assertThat(ReferenceTree.consistencyShape(6, 8)).isEqualTo("NRL");
        assertThat(ReferenceTree.consistencyShape(2, 5)).isEqualTo("RR");
    }

    @Test
    void split_isLargestPowerOfTwoBelow() {
        assertThat(ReferenceTree.split(2)).isEqualTo(1);
        assertThat(ReferenceTree.split(3)).isEqualTo(2);
        assertThat(ReferenceTree.split(4)).isEqualTo(2);
        assertThat(ReferenceTree.split(5)).isEqualTo(4);
        assertThat(ReferenceTree.split(Long.MAX_VALUE)).isEqualTo(1L << 62);
        assertThat(ReferenceTree.split((1L << 62) + 1)).isEqualTo(1L << 62);
        assertThat(ReferenceTree.split(1L << 62)).isEqualTo(1L << 61);
    }

    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    static List<String> hexes(List<Hash> hashes) {
        return hashes.stream().map(Hash::hex).toList();
    }
}
