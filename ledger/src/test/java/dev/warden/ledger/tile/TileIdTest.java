package dev.warden.ledger.tile;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TileIdTest {
    @Test
    void encodeIndex_writesThreeDigitGroups_withXOnAllButTheLast() {
        assertThat(TileId.encodeIndex(0)).isEqualTo("000");
        assertThat(TileId.encodeIndex(5)).isEqualTo("005");
        assertThat(TileId.encodeIndex(999)).isEqualTo("999");
        assertThat(TileId.encodeIndex(1000)).isEqualTo("x001/000");
        assertThat(TileId.encodeIndex(1234067)).isEqualTo("x001/x234/067");
        assertThat(TileId.encodeIndex(Long.MAX_VALUE)).isEqualTo("x009/x223/x372/x036/x854/x775/807");
    }

    @Test
    void path_ofFullAndPartialTilesAndBundles() {
        assertThat(TileId.hashes(0, 1234067, 256).path()).isEqualTo("tile/0/x001/x234/067");
        assertThat(TileId.hashes(2, 7, 13).path()).isEqualTo("tile/2/007.p/13");
        assertThat(TileId.bundle(1000, 1).path()).isEqualTo("tile/entries/x001/000.p/1");
    }

    @Test
    void parse_isTheInverseOfPath_forRandomTiles() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 10_000; i++) {
            boolean entries = random.nextBoolean();
            TileId id = new TileId(entries, entries ? 0 : random.nextInt(64),
                    random.nextBoolean() ? random.nextInt(5000) : random.nextLong(Long.MAX_VALUE),
                    random.nextBoolean() ? 256 : 1 + random.nextInt(255));
            assertThat(TileId.parse(id.path())).as("%s (seed %d)", id.path(), seed).isEqualTo(id);
        }
    }

    @Test
    void parse_refusesEveryNonCanonicalForm() {
        for (String bad : new String[] {"tile/0/1", "tile/0/0001", "tile/0/x000/001", "tile/0/001/002", "tile/0/x1/002",
                "tile/00/000", "tile/64/000", "tile/-1/000", "tile/0/000.p/0", "tile/0/000.p/256", "tile/0/000.p/007",
                "tile/0/000.p/", "tile/entries/abc", "tile/data/000", "tiles/0/000", "tile/0/", "tile/0",
                "tile/0/x009/x223/x372/x036/x854/x775/808", "tile/0/000.p/5/6"}) {
            assertThatThrownBy(() -> TileId.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("couldn't parse tile path \"" + bad + "\"");
        }
    }

    @Test
    void widthAt_followsTheTreeSize_andIsZeroForTilesThatDoNotExist() {
        long size = 70_000; // 273 full level-0 tiles + 112; level 1: 1 full + 17; level 2: 1
        assertThat(TileId.widthAt(0, 0, size)).isEqualTo(256);
        assertThat(TileId.widthAt(0, 273, size)).isEqualTo(112);
        assertThat(TileId.widthAt(0, 274, size)).isZero();
        assertThat(TileId.widthAt(1, 0, size)).isEqualTo(256);
        assertThat(TileId.widthAt(1, 1, size)).isEqualTo(17);
        assertThat(TileId.widthAt(2, 0, size)).isEqualTo(1);
        assertThat(TileId.widthAt(3, 0, size)).isZero();
        assertThat(TileId.widthAt(0, 0, 256)).isEqualTo(256);
        assertThat(TileId.widthAt(0, 1, 256)).isZero();
        assertThat(TileId.widthAt(7, 0, Long.MAX_VALUE)).isEqualTo(127);
    }
}
