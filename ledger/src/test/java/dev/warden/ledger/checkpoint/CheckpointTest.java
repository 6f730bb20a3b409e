package dev.warden.ledger.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.warden.ledger.note.Note;
import dev.warden.ledger.note.NoteException;
import dev.warden.ledger.note.SignerKey;
import dev.warden.ledger.tree.Hash;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CheckpointTest {
    private static final SignerKey LOG = SignerKey.generate("example.com/behind-the-sofa");
    /** The root hash line of the example in C2SP tlog-checkpoint. */
    private static final String ROOT = "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=";
    private static final String BODY = "example.com/behind-the-sofa\n20852163\n" + ROOT + "\n";

    // ---- body ----

    @Test
    void body_specExample_isOriginSizeAndRootOneALine() {
        Checkpoint c = new Checkpoint("example.com/behind-the-sofa", 20852163, Hash.fromBase64(ROOT));

        assertThat(c.body()).isEqualTo(BODY);
    }

    @Test
    void parseBody_specExample_parses() throws CheckpointException {
        Checkpoint c = Checkpoint.parseBody(BODY);

        assertThat(c).isEqualTo(new Checkpoint("example.com/behind-the-sofa", 20852163, Hash.fromBase64(ROOT), List.of()));
    }

    @Test
    void parseBody_withExtensionLines_roundTrips() throws CheckpointException {
        String body = BODY + "extension one\n— another\n";

        Checkpoint c = Checkpoint.parseBody(body);

        assertThat(c.extensions()).containsExactly("extension one", "— another");
        assertThat(c.body()).isEqualTo(body);
    }

    @Test
    void parseBody_sizeZero_parses() throws CheckpointException {
        assertThat(Checkpoint.parseBody("o\n0\n" + ROOT + "\n").size()).isZero();
    }

    @Test
    void parseBody_sizeLongMax_parses() throws CheckpointException {
        assertThat(Checkpoint.parseBody("o\n9223372036854775807\n" + ROOT + "\n").size()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void parseBody_originWithSpace_parses() throws CheckpointException {
        // The spec only recommends origins without spaces; clients must not assume the format.
        assertThat(Checkpoint.parseBody("my log\n1\n" + ROOT + "\n").origin()).isEqualTo("my log");
    }

    @Test
    void parseBody_missingFinalNewline_throws() {
        assertThatThrownBy(() -> Checkpoint.parseBody(BODY.substring(0, BODY.length() - 1)))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("couldn't parse checkpoint: body \"example.com/behind-the-sofa\\n")
                .hasMessageEndingWith(" does not end with a newline");
    }

    @Test
    void parseBody_controlCharacter_throws() {
        assertThatThrownBy(() -> Checkpoint.parseBody("o\r\n1\n" + ROOT + "\n"))
                .hasMessage("couldn't parse checkpoint: body has a control character U+000D at offset 1");
    }

    @Test
    void parseBody_twoLines_throws() {
        assertThatThrownBy(() -> Checkpoint.parseBody("o\n1\n"))
                .hasMessageStartingWith("couldn't parse checkpoint: body \"o\\n1\\n\" has 2 lines, not at least 3\nhint: ");
    }

    @Test
    void parseBody_emptyOrigin_throws() {
        assertThatThrownBy(() -> Checkpoint.parseBody("\n1\n" + ROOT + "\n"))
                .hasMessage("couldn't parse checkpoint: origin (line 1) is empty");
    }

    @Test
    void parseBody_emptySize_throws() {
        assertThatThrownBy(() -> Checkpoint.parseBody("o\n\n" + ROOT + "\n"))
                .hasMessage("couldn't parse checkpoint \"o\": line 2 is empty");
    }

    @Test
    void parseBody_emptyExtensionLine_throws() {
        assertThatThrownBy(() -> Checkpoint.parseBody(BODY + "ext\n\n"))
                .hasMessage("couldn't parse checkpoint \"example.com/behind-the-sofa\": line 5 is empty"
                        + "\nhint: extension lines must be non-empty");
    }

    @ParameterizedTest
    @ValueSource(strings = {"007", "00", "01"})
    void parseBody_sizeWithLeadingZeros_throws(String size) {
        assertThatThrownBy(() -> Checkpoint.parseBody("o\n" + size + "\n" + ROOT + "\n"))
                .hasMessage("couldn't parse checkpoint \"o\": tree size \"" + size + "\" has a leading zero");
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "+1", "-0", " 1", "1 ", "1e3", "0x10", "١٢", "12a"})
    void parseBody_sizeNotPlainDecimal_throws(String size) {
        assertThatThrownBy(() -> Checkpoint.parseBody("o\n" + size + "\n" + ROOT + "\n"))
                .hasMessageEndingWith(" is not a decimal number (digits 0-9 only, no sign)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9223372036854775808", "18446744073709551615", "99999999999999999999999"})
    void parseBody_sizeAboveLongMax_throws(String size) {
        assertThatThrownBy(() -> Checkpoint.parseBody("o\n" + size + "\n" + ROOT + "\n"))
                .hasMessage("couldn't parse checkpoint \"o\": tree size \"" + size + "\" is above 9223372036854775807");
    }

    @Test
    void parseBody_rootNotBase64_throws() {
        assertThatThrownBy(() -> Checkpoint.parseBody("o\n1\nnot base64!\n"))
                .hasMessage("couldn't parse checkpoint \"o\": root hash \"not base64!\" is not base64 of 32 bytes");
    }

    @Test
    void parseBody_root31Bytes_throws() {
        String root31 = Base64.getEncoder().encodeToString(new byte[31]);
        assertThatThrownBy(() -> Checkpoint.parseBody("o\n1\n" + root31 + "\n"))
                .hasMessage("couldn't parse checkpoint \"o\": root hash \"" + root31 + "\" is not base64 of 32 bytes");
    }

    @Test
    void parseBody_root33Bytes_throws() {
        String root33 = Base64.getEncoder().encodeToString(new byte[33]);
        assertThatThrownBy(() -> Checkpoint.parseBody("o\n1\n" + root33 + "\n"))
                .hasMessageContaining(" is not base64 of 32 bytes");
    }

    @Test
    void parseBody_rootWithoutPadding_throws() {
        String unpadded = ROOT.substring(0, ROOT.length() - 1);
        assertThatThrownBy(() -> Checkpoint.parseBody("o\n1\n" + unpadded + "\n"))
                .hasMessage("couldn't parse checkpoint \"o\": root hash \"" + unpadded
                        + "\" is not canonical standard base64 (want \"" + ROOT + "\")");
    }

    @Test
    void parseBody_rootUrlSafeBase64_throws() {
        String root = Base64.getUrlEncoder().encodeToString(new byte[] {
            -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1,
            -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1});
        assertThatThrownBy(() -> Checkpoint.parseBody("o\n1\n" + root + "\n"))
                .hasMessageContaining(" is not base64 of 32 bytes");
    }

    @Test
    void constructor_invalidFields_throw() {
        Hash root = Hash.fromBase64(ROOT);
        assertThatThrownBy(() -> new Checkpoint("", 1, root)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint("a\nb", 1, root)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint("o", -1, root)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint("o", 1, root, List.of(""))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Checkpoint("o", 1, root, List.of("a\nb"))).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- sign and open ----

    @Test
    void signThenOpen_roundTrips() throws CheckpointException {
        Checkpoint c = new Checkpoint(LOG.name(), 20852163, Hash.fromBase64(ROOT), List.of("ext"));

        String signed = c.sign(LOG);

        assertThat(signed).startsWith(c.body() + "\n— " + LOG.name() + " ");
        assertThat(Checkpoint.open(signed, LOG.verifierKey())).isEqualTo(c);
    }

    @Test
    void open_withWitnessCosignatures_ignoresThem() throws CheckpointException {
        Checkpoint c = new Checkpoint(LOG.name(), 5, Hash.fromBase64(ROOT));
        String signed = Note.sign(c.body(), SignerKey.generate("example.org/witness"), LOG).encode();

        assertThat(Checkpoint.open(signed, LOG.verifierKey())).isEqualTo(c);
    }

    @Test
    void sign_keyNotNamedAfterOrigin_throws() {
        Checkpoint c = new Checkpoint("example.org/other", 1, Hash.fromBase64(ROOT));

        assertThatThrownBy(() -> c.sign(LOG))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("couldn't sign checkpoint \"example.org/other\": the key is named"
                        + " \"example.com/behind-the-sofa\", not the origin");
    }

    @Test
    void open_originNotTheKeyName_throwsNamingBoth() {
        String body = new Checkpoint("example.org/other", 1, Hash.fromBase64(ROOT)).body();
        String signed = Note.sign(body, LOG).encode();

        assertThatThrownBy(() -> Checkpoint.open(signed, LOG.verifierKey()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("couldn't verify checkpoint \"example.com/behind-the-sofa\": its origin is"
                        + " \"example.org/other\", not the key name \"example.com/behind-the-sofa\"\nhint: ");
    }

    @Test
    void open_otherKeyOfSameName_throwsWithNoteExceptionAsCause() {
        String signed = new Checkpoint(LOG.name(), 1, Hash.fromBase64(ROOT)).sign(LOG);
        SignerKey impostor = SignerKey.generate(LOG.name());

        assertThatThrownBy(() -> Checkpoint.open(signed, impostor.verifierKey()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("couldn't verify checkpoint \"example.com/behind-the-sofa\": couldn't"
                        + " verify note: signature by unknown key \"example.com/behind-the-sofa+")
                .hasCauseInstanceOf(NoteException.class);
    }

    @Test
    void open_malformedNote_throwsWithNoteExceptionAsCause() {
        assertThatThrownBy(() -> Checkpoint.open(BODY, LOG.verifierKey()))
                .isInstanceOf(CheckpointException.class)
                .hasMessageStartingWith("couldn't verify checkpoint \"example.com/behind-the-sofa\": couldn't parse note: ")
                .hasCauseInstanceOf(NoteException.class);
    }

    @Test
    void open_signedButMalformedBody_throws() {
        String signed = Note.sign("example.com/behind-the-sofa\n007\n" + ROOT + "\n", LOG).encode();

        assertThatThrownBy(() -> Checkpoint.open(signed, LOG.verifierKey()))
                .isInstanceOf(CheckpointException.class)
                .hasMessage("couldn't verify checkpoint \"example.com/behind-the-sofa\": couldn't parse checkpoint"
                        + " \"example.com/behind-the-sofa\": tree size \"007\" has a leading zero")
                .hasCauseInstanceOf(CheckpointException.class);
    }

    @Test
    void open_signedBodyWithBlankLine_throws() {
        // The note's text may hold blank lines; a checkpoint body may not.
        String signed = Note.sign(BODY + "\nafter a blank line\n", LOG).encode();

        assertThatThrownBy(() -> Checkpoint.open(signed, LOG.verifierKey()))
                .hasMessageEndingWith(": line 4 is empty\nhint: extension lines must be non-empty");
    }

    /**
     * Flip one bit of one byte of a signed checkpoint (every byte once, then random ones): every
     * variant must be refused.
     */
    @Test
    void open_anyFlippedBit_throws() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        byte[] original = new Checkpoint(LOG.name(), 20852163, Hash.fromBase64(ROOT)).sign(LOG)
                .getBytes(StandardCharsets.UTF_8);
        for (int round = 0; round < original.length + 300; round++) {
            byte[] tampered = original.clone();
            int offset = round < original.length ? round : random.nextInt(original.length);
            int bit = random.nextInt(8);
            tampered[offset] ^= (byte) (1 << bit);
            String text = new String(tampered, StandardCharsets.UTF_8);
            assertThatThrownBy(() -> Checkpoint.open(text, LOG.verifierKey()))
                    .as("seed %d: flipping bit %d of byte %d was not detected", seed, bit, offset)
                    .isInstanceOf(CheckpointException.class);
        }
    }
}
