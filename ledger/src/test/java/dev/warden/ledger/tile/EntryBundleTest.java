package dev.warden.ledger.tile;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EntryBundleTest {
    @Test
    void encode_framesEachEntryWithABigEndianUint16Length() {
        byte[] bundle = EntryBundle.encode(List.of(new byte[] {7}, new byte[0], new byte[300]));
        assertThat(bundle).startsWith(0, 1, 7, 0, 0, 1, 44);
        assertThat(bundle).hasSize(3 + 2 + 302);
        assertThat(EntryBundle.decode(bundle, 3)).satisfiesExactly(
                e -> assertThat(e).containsExactly(7), e -> assertThat(e).isEmpty(), e -> assertThat(e).hasSize(300));
        assertThat(EntryBundle.prefixLength(bundle, 2)).isEqualTo(5);
    }

    @Test
    void decode_refusesABundleThatEndsInsideAnEntryOrHoldsTooFew() {
        byte[] bundle = EntryBundle.encode(List.of(new byte[10]));
        assertThatThrownBy(() -> EntryBundle.decode(java.util.Arrays.copyOf(bundle, 11), 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("claims 10 bytes");
        assertThatThrownBy(() -> EntryBundle.decode(bundle, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("holds 1 entries, expected 2");
    }

    @Test
    void anEntryOver65535Bytes_cannotBeFramed() {
        assertThatThrownBy(() -> EntryBundle.encode(List.of(new byte[65_536])))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(EntryBundle.encode(List.of(new byte[65_535]))).startsWith(0xFF, 0xFF);
    }
}
