package dev.warden.ledger.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class HashTest {
    @Test
    void constructor_wrongLength_throws() {
        assertThatIllegalArgumentException().isThrownBy(() -> new Hash(new byte[31])).withMessageContaining("31");
        assertThatIllegalArgumentException().isThrownBy(() -> new Hash(new byte[33])).withMessageContaining("33");
        assertThatIllegalArgumentException().isThrownBy(() -> new Hash(new byte[0]));
        assertThatIllegalArgumentException().isThrownBy(() -> new Hash(null));
    }

    @Test
    void equality_isByContent() {
        byte[] a = new byte[32];
        a[7] = 9;
        assertThat(new Hash(a)).isEqualTo(new Hash(a.clone())).hasSameHashCodeAs(new Hash(a.clone()));
        byte[] b = a.clone();
        b[31] = 1;
        assertThat(new Hash(a)).isNotEqualTo(new Hash(b));
    }

    @Test
    void hash_isImmutable_whateverCallersDoWithArrays() {
        byte[] source = new byte[32];
        Hash h = new Hash(source);
        source[0] = 1;
        h.bytes()[1] = 1;
        assertThat(h.bytes()).isEqualTo(new byte[32]);
    }

    @Test
    void fromBase64_roundTripsWithBase64AndOf() {
        byte[] raw = new byte[40];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) (i * 7);
        }
        Hash h = Hash.of(raw, 5);
        assertThat(Hash.fromBase64(h.base64())).isEqualTo(h);
        assertThat(h.bytes()[0]).isEqualTo(raw[5]);
        byte[] into = new byte[34];
        h.copyInto(into, 2);
        assertThat(Hash.of(into, 2)).isEqualTo(h);
        assertThat(h.hex()).hasSize(64).startsWith("232a31");
    }

    @Test
    void fromBase64_notBase64_throws() {
        assertThatIllegalArgumentException().isThrownBy(() -> Hash.fromBase64("not base64!"))
                .withMessageContaining("\"not base64!\" is not base64");
    }

    @Test
    void fromBase64_not32Bytes_throws() {
        String twelve = Base64.getEncoder().encodeToString("don't care 2".getBytes(StandardCharsets.US_ASCII));
        assertThatIllegalArgumentException().isThrownBy(() -> Hash.fromBase64(twelve))
                .withMessageContaining("decodes to 12 bytes");
        assertThatIllegalArgumentException().isThrownBy(() -> Hash.fromBase64(""))
                .withMessageContaining("decodes to 0 bytes");
        String thirtyThree = Base64.getEncoder().encodeToString(new byte[33]);
        assertThatIllegalArgumentException().isThrownBy(() -> Hash.fromBase64(thirtyThree));
    }
}
