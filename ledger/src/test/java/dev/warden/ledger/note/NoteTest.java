package dev.warden.ledger.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NoteTest {
    private static final SignerKey LOG = SignerKey.generate("example.org/log");
    private static final SignerKey WITNESS = SignerKey.generate("example.org/witness");
    private static final String TEXT = "example.org/log\n42\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n";
    /** A well-formed signature line; its blob decodes to 68 bytes. */
    private static final String GOOD_BLOB = GoKnownAnswerTest.PETER_SIG.substring(
            "— PeterNeumann ".length(), GoKnownAnswerTest.PETER_SIG.length() - 1);

    // ---- round trips ----

    @Test
    void signThenEncodeThenParse_roundTrips() throws NoteException {
        Note note = Note.sign(TEXT, LOG, WITNESS);

        Note parsed = Note.parse(note.encode());

        assertThat(parsed).isEqualTo(note);
        assertThat(parsed.encode()).isEqualTo(note.encode());
        assertThat(parsed.verify(List.of(LOG.verifierKey(), WITNESS.verifierKey()))).isEqualTo(TEXT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"\n", "a\n", "a\n\nb\n", "a\n\n", "a\n\n\n", "\n\n", "ünïcødé 🔏 — text\n"})
    void sign_textWithBlankLinesOrUnicode_roundTrips(String text) throws NoteException {
        Note note = Note.sign(text, LOG);

        Note parsed = Note.parse(note.encode());

        assertThat(parsed.text()).isEqualTo(text);
        assertThat(parsed.verify(List.of(LOG.verifierKey()))).isEqualTo(text);
        assertThat(Note.parse(note.encode().getBytes(StandardCharsets.UTF_8))).isEqualTo(note);
    }

    @Test
    void encode_isTextBlankLineAndOneLinePerSignature() {
        Note note = Note.sign(TEXT, LOG, WITNESS);

        String[] lines = note.encode().substring(TEXT.length()).split("\n", -1);

        assertThat(lines).hasSize(4);
        assertThat(lines[0]).isEmpty();
        assertThat(lines[1]).startsWith("— example.org/log ");
        assertThat(lines[2]).startsWith("— example.org/witness ");
        assertThat(lines[3]).isEmpty();
    }

    @Test
    void noteSignature_equalsByContentAndCopiesBytes() {
        byte[] sig = {1, 2, 3};
        NoteSignature a = new NoteSignature("a", 7, sig);
        sig[0] = 9;

        assertThat(a).isEqualTo(new NoteSignature("a", 7, new byte[] {1, 2, 3}));
        assertThat(a.hashCode()).isEqualTo(new NoteSignature("a", 7, new byte[] {1, 2, 3}).hashCode());
        assertThat(a).isNotEqualTo(new NoteSignature("a", 7, new byte[] {1, 2, 4}));
        a.signature()[0] = 9;
        assertThat(a.signature()).containsExactly(1, 2, 3);
    }

    // ---- parse: one test per check ----

    @Test
    void parse_controlCharacter_throws() {
        assertThatThrownBy(() -> Note.parse("a\tb\n\n— a " + GOOD_BLOB + "\n"))
                .isInstanceOf(NoteException.class)
                .hasMessageStartingWith("couldn't parse note: it has a control character U+0009 at offset 1");
    }

    @Test
    void parse_carriageReturn_throws() {
        assertThatThrownBy(() -> Note.parse("a\r\n\r\n— a " + GOOD_BLOB + "\r\n"))
                .hasMessageStartingWith("couldn't parse note: it has a control character U+000D at offset 1");
    }

    @Test
    void parse_nul_throws() {
        assertThatThrownBy(() -> Note.parse("a\u0000\n\n— a " + GOOD_BLOB + "\n"))
                .hasMessageStartingWith("couldn't parse note: it has a control character U+0000 at offset 1");
    }

    @Test
    void parse_unpairedSurrogate_throws() {
        assertThatThrownBy(() -> Note.parse("a\ud800\n\n— a " + GOOD_BLOB + "\n"))
                .hasMessageStartingWith("couldn't parse note: it has an unpaired surrogate U+D800 at offset 1");
    }

    @Test
    void parse_invalidUtf8Bytes_throws() {
        byte[] bytes = ("a\n\n— a " + GOOD_BLOB + "\n").getBytes(StandardCharsets.UTF_8);
        bytes[0] = (byte) 0xc0; // the start of an overlong encoding

        assertThatThrownBy(() -> Note.parse(bytes))
                .isInstanceOf(NoteException.class)
                .hasMessage("couldn't parse note: it is not valid UTF-8 (at byte 0)");
    }

    @Test
    void parse_utf8EncodedSurrogate_throws() {
        byte[] bytes = ("ab\n\n— a " + GOOD_BLOB + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] withSurrogate = new byte[bytes.length + 3];
        withSurrogate[0] = (byte) 0xed; // CESU-style U+D800
        withSurrogate[1] = (byte) 0xa0;
        withSurrogate[2] = (byte) 0x80;
        System.arraycopy(bytes, 0, withSurrogate, 3, bytes.length);

        assertThatThrownBy(() -> Note.parse(withSurrogate)).hasMessageStartingWith("couldn't parse note: it is not valid UTF-8");
    }

    @Test
    void parse_noFinalNewline_throws() {
        assertThatThrownBy(() -> Note.parse("a\n\n— a " + GOOD_BLOB))
                .hasMessage("couldn't parse note: it does not end with a newline");
    }

    @Test
    void parse_noBlankLine_throws() {
        assertThatThrownBy(() -> Note.parse("a\n— a " + GOOD_BLOB + "\n"))
                .hasMessageStartingWith("couldn't parse note: it has no blank line before the signatures\nhint: ");
    }

    @Test
    void parse_noSignatureLines_throws() {
        assertThatThrownBy(() -> Note.parse("a\n— a " + GOOD_BLOB + "\n\n"))
                .hasMessage("couldn't parse note: it has no signature lines after the last blank line");
    }

    @Test
    void parse_lineWithoutEmDash_throws() {
        assertThatThrownBy(() -> Note.parse("a\n\n- a " + GOOD_BLOB + "\n"))
                .hasMessageStartingWith("couldn't parse note: signature line \"- a x08go")
                .hasMessageContaining("does not start with an em dash (U+2014) and a space\nhint: ");
    }

    @Test
    void parse_emDashWithoutSpace_throws() {
        assertThatThrownBy(() -> Note.parse("a\n\n—a " + GOOD_BLOB + "\n"))
                .hasMessageContaining("does not start with an em dash (U+2014) and a space");
    }

    @Test
    void parse_lineWithoutSpaceAfterName_throws() {
        assertThatThrownBy(() -> Note.parse("a\n\n— a\n"))
                .hasMessage("couldn't parse note: signature line \"— a\" has no space between key name"
                        + " and signature");
    }

    @Test
    void parse_emptyName_throws() {
        assertThatThrownBy(() -> Note.parse("a\n\n—  " + GOOD_BLOB + "\n"))
                .hasMessageContaining("has an invalid key name \"\"\nhint: ");
    }

    @Test
    void parse_nameWithPlus_throws() {
        assertThatThrownBy(() -> Note.parse("a\n\n— a+b " + GOOD_BLOB + "\n"))
                .hasMessageContaining("has an invalid key name \"a+b\"");
    }

    @Test
    void parse_nameWithUnicodeSpace_throws() {
        assertThatThrownBy(() -> Note.parse("a\n\n— a\u00a0b " + GOOD_BLOB + "\n"))
                .hasMessageContaining("has an invalid key name \"a\u00a0b\"");
    }

    @Test
    void parse_emptySignature_throws() {
        assertThatThrownBy(() -> Note.parse("a\n\n— a \n"))
                .hasMessage("couldn't parse note: signature line \"— a \" has an empty signature");
    }

    @Test
    void parse_signatureNotBase64_throws() {
        assertThatThrownBy(() -> Note.parse("a\n\n— a not*base64\n"))
                .hasMessage("couldn't parse note: signature line \"— a not*base64\" has signature"
                        + " \"not*base64\", which is not canonical standard base64");
    }

    @Test
    void parse_signatureWithTwoSpaces_throws() {
        assertThatThrownBy(() -> Note.parse("a\n\n— a  " + GOOD_BLOB + "\n"))
                .hasMessageContaining("which is not canonical standard base64");
    }

    @Test
    void parse_signatureWithoutPadding_throws() {
        String unpadded = GOOD_BLOB.substring(0, GOOD_BLOB.length() - 1);
        assertThatThrownBy(() -> Note.parse("a\n\n— a " + unpadded + "\n"))
                .hasMessageContaining("which is not canonical standard base64");
    }

    @Test
    void parse_signatureWithNonZeroPaddingBits_throws() {
        // "AAE=" is {0, 1}; "AAF=" decodes to the same bytes with a stray trailing bit.
        String blob = "AAAAAAAB" + "AAF=";
        assertThat(Base64.getDecoder().decode(blob)).hasSize(8);
        assertThatThrownBy(() -> Note.parse("a\n\n— a " + blob + "\n"))
                .hasMessageContaining("which is not canonical standard base64");
    }

    @Test
    void parse_signatureOfFourBytes_throws() {
        String blob = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4});
        assertThatThrownBy(() -> Note.parse("a\n\n— a " + blob + "\n"))
                .hasMessage("couldn't parse note: signature line \"— a AQIDBA==\" has a signature of 4"
                        + " bytes, fewer than a 4-byte key ID and at least one signature byte");
    }

    @Test
    void parse_signatureOfFiveBytes_parses() throws NoteException {
        String blob = Base64.getEncoder().encodeToString(new byte[] {1, 2, 3, 4, 5});

        Note note = Note.parse("a\n\n— a " + blob + "\n");

        assertThat(note.signatures()).containsExactly(new NoteSignature("a", 0x01020304, new byte[] {5}));
    }

    @Test
    void parse_hundredSignatureLines_parses() throws NoteException {
        assertThat(Note.parse("a\n\n" + ("— a " + GOOD_BLOB + "\n").repeat(100)).signatures()).hasSize(100);
    }

    @Test
    void parse_hundredAndOneSignatureLines_throws() {
        assertThatThrownBy(() -> Note.parse("a\n\n" + ("— a " + GOOD_BLOB + "\n").repeat(101)))
                .hasMessage("couldn't parse note: it has more than 100 signature lines");
    }

    @Test
    void parse_longHostileLine_quotesOnlyItsStart() {
        String line = "x".repeat(10_000);
        assertThatThrownBy(() -> Note.parse("a\n\n" + line + "\n"))
                .hasMessageStartingWith("couldn't parse note: signature line \"" + "x".repeat(80) + "\"... ");
    }

    // ---- sign: preconditions ----

    @ParameterizedTest
    @ValueSource(strings = {"", "no newline", "tab\there\n", "nul\u0000\n", "cr\r\n", "lone \udc00 surrogate\n"})
    void sign_textThatWouldNotRoundTrip_throws(String text) {
        assertThatThrownBy(() -> Note.sign(text, LOG))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("couldn't sign note: text ");
    }

    @Test
    void sign_noKeys_throws() {
        assertThatThrownBy(() -> Note.sign(TEXT))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("couldn't sign note: 0 keys given, not between 1 and 100");
    }

    @Test
    void sign_sameKeyTwice_throws() {
        assertThatThrownBy(() -> Note.sign(TEXT, LOG, SignerKey.parse(LOG.encode())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(" is given twice");
    }

    @Test
    void noteConstructor_noSignatures_throws() {
        assertThatThrownBy(() -> new Note(TEXT, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // ---- verify: C2SP signed-note §Signatures ----

    @Test
    void verify_unknownSignaturesBesideAKnownOne_areIgnored() throws NoteException {
        SignerKey stranger = SignerKey.generate("example.org/stranger");
        Note note = Note.sign(TEXT, stranger, LOG, WITNESS);

        assertThat(note.verify(List.of(LOG.verifierKey()))).isEqualTo(TEXT);
    }

    @Test
    void verify_signatureWithKnownNameButOtherKeyId_isIgnored() throws NoteException {
        SignerKey rotated = SignerKey.generate("example.org/log");
        Note note = Note.sign(TEXT, rotated, LOG);

        assertThat(note.verify(List.of(LOG.verifierKey()))).isEqualTo(TEXT);
    }

    @Test
    void verify_signatureWithKnownKeyIdButOtherName_isIgnored() throws NoteException {
        NoteSignature good = Note.sign(TEXT, LOG).signatures().get(0);
        NoteSignature renamed = new NoteSignature("example.org/other", LOG.keyId(), good.signature());
        Note note = new Note(TEXT, List.of(renamed, good));

        assertThat(note.verify(List.of(LOG.verifierKey()))).isEqualTo(TEXT);
    }

    @Test
    void verify_onlyUnknownSignatures_throwsNamingThemAndHintingAtTheKnownKeys() {
        Note note = Note.sign(TEXT, WITNESS);

        assertThatThrownBy(() -> note.verify(List.of(LOG.verifierKey())))
                .isInstanceOf(NoteException.class)
                .hasMessage("couldn't verify note: signature by unknown key \"example.org/witness+"
                        + Syntax.hex(WITNESS.keyId()) + "\"\nhint: the known keys are \"example.org/log+"
                        + Syntax.hex(LOG.keyId()) + "\"");
    }

    @Test
    void verify_sameNameOtherKeyId_hintsAtKeyRotation() {
        SignerKey rotated = SignerKey.generate("example.org/log");
        Note note = Note.sign(TEXT, rotated);

        assertThatThrownBy(() -> note.verify(List.of(LOG.verifierKey())))
                .hasMessageContaining("\nhint: the name is known with another key ID");
    }

    @Test
    void verify_noKnownKeys_throws() {
        Note note = Note.sign(TEXT, LOG);

        assertThatThrownBy(() -> note.verify(List.of()))
                .isInstanceOf(NoteException.class)
                .hasMessageEndingWith("\nhint: no verifier keys were given");
    }

    @Test
    void verify_knownButBadSignature_throwsEvenIfAnotherVerifies() {
        NoteSignature good = Note.sign(TEXT, LOG).signatures().get(0);
        NoteSignature witness = Note.sign(TEXT, WITNESS).signatures().get(0);
        byte[] flipped = witness.signature();
        flipped[10] ^= 1;
        Note note = new Note(TEXT, List.of(good, new NoteSignature(witness.name(), witness.keyId(), flipped)));

        assertThatThrownBy(() -> note.verify(List.of(LOG.verifierKey(), WITNESS.verifierKey())))
                .isInstanceOf(NoteException.class)
                .hasMessageStartingWith("couldn't verify note: signature by \"example.org/witness+"
                        + Syntax.hex(WITNESS.keyId()) + "\" does not verify\nhint: ");
        // The same note passes for a verifier that knows only the log: the bad one is unknown there.
        assertThat(catchVerify(note, List.of(LOG.verifierKey()))).isNull();
    }

    @Test
    void verify_badRepeatOfAGoodSignature_throws() {
        NoteSignature good = Note.sign(TEXT, LOG).signatures().get(0);
        byte[] flipped = good.signature();
        flipped[63] ^= 0x40;
        Note note = new Note(TEXT, List.of(good, new NoteSignature(good.name(), good.keyId(), flipped)));

        assertThatThrownBy(() -> note.verify(List.of(LOG.verifierKey()))).isInstanceOf(NoteException.class);
    }

    @Test
    void verify_signatureOfWrongLengthByKnownKey_throws() {
        Note note = new Note(TEXT, List.of(new NoteSignature(LOG.name(), LOG.keyId(), new byte[] {1})));

        assertThatThrownBy(() -> note.verify(List.of(LOG.verifierKey())))
                .hasMessageContaining("does not verify");
    }

    @Test
    void verify_otherText_throws() {
        Note signed = Note.sign(TEXT, LOG);
        Note note = new Note(TEXT.replace("42", "43"), signed.signatures());

        assertThatThrownBy(() -> note.verify(List.of(LOG.verifierKey()))).hasMessageContaining("does not verify");
    }

    @Test
    void verify_sameKnownKeyListedTwice_isFine() throws NoteException {
        assertThat(Note.sign(TEXT, LOG).verify(List.of(LOG.verifierKey(), LOG.verifierKey()))).isEqualTo(TEXT);
    }

    @Test
    void verify_twoDistinctKnownKeysWithSameNameAndKeyId_throws() {
        // Key IDs are 32 bits, so a birthday search finds two public keys that share one under
        // a name: these two (from java.util.Random(1), after 144,622 tries) share 14265699.
        VerifierKey first = VerifierKey.of("example.org/log", java.util.HexFormat.of()
                .parseHex("d47f1353a89648f87425b483e6886abfebb62cd7012802a1fc62a58ba874836b"));
        VerifierKey second = VerifierKey.of("example.org/log", java.util.HexFormat.of()
                .parseHex("96ef43ae2d86264edd7a93052ce7392fc43352e53331b8b05d5622cb050017a1"));
        assertThat(first.keyId()).isEqualTo(second.keyId()).isEqualTo(0x14265699);
        assertThat(first).isNotEqualTo(second);
        List<VerifierKey> ambiguous = List.of(first, second);

        assertThatThrownBy(() -> Note.sign(TEXT, LOG).verify(ambiguous))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("couldn't verify note: two known keys are both \"example.org/log+");
    }

    @Test
    void verify_sixteenSignatureLines_accepted() throws NoteException {
        List<SignerKey> keys = IntStream.range(0, 16)
                .mapToObj(i -> SignerKey.generate("example.org/witness" + i)).toList();
        Note note = Note.sign(TEXT, keys.toArray(SignerKey[]::new));

        Note parsed = Note.parse(note.encode());

        assertThat(parsed.signatures()).hasSize(16);
        assertThat(parsed.verify(keys.stream().map(SignerKey::verifierKey).toList())).isEqualTo(TEXT);
        assertThat(parsed.verify(List.of(keys.get(15).verifierKey()))).isEqualTo(TEXT);
    }

    @Test
    void verify_hundredSignatureLines_accepted() throws NoteException {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 99; i++) {
            byte[] blob = new byte[68];
            blob[0] = (byte) i;
            lines.add("— example.org/unknown" + i + " " + Base64.getEncoder().encodeToString(blob) + "\n");
        }
        String encoded = Note.sign(TEXT, LOG).encode() + String.join("", lines);

        assertThat(Note.parse(encoded).verify(List.of(LOG.verifierKey()))).isEqualTo(TEXT);
    }

    // ---- tampering ----

    /**
     * Flip one bit of one byte of a signed note (every byte once, then random ones): every variant
     * must be refused, by the parser or by the verifier. The note has one signature, by a known
     * key; in a note with more, a flip that only turns another signature into an unknown one is
     * rightly ignored.
     */
    @Test
    void parseAndVerify_anyFlippedBit_throws() {
        long seed = new Random().nextLong();
        Random random = new Random(seed);
        byte[] original = Note.sign("héllo — wörld\n\nsecond paragraph\n", LOG).encode()
                .getBytes(StandardCharsets.UTF_8);
        List<VerifierKey> known = List.of(LOG.verifierKey(), WITNESS.verifierKey());
        for (int round = 0; round < original.length + 300; round++) {
            byte[] tampered = original.clone();
            int offset = round < original.length ? round : random.nextInt(original.length);
            int bit = random.nextInt(8);
            tampered[offset] ^= (byte) (1 << bit);
            Exception thrown = null;
            try {
                Note.parse(tampered).verify(known);
            } catch (NoteException e) {
                thrown = e;
            }
            assertThat(thrown).as("seed %d: flipping bit %d of byte %d was not detected", seed, bit, offset)
                    .isInstanceOf(NoteException.class);
        }
    }

    private static NoteException catchVerify(Note note, List<VerifierKey> known) {
        try {
            note.verify(known);
            return null;
        } catch (NoteException e) {
            return e;
        }
    }
}
