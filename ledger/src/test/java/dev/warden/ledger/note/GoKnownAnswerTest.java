package dev.warden.ledger.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Known answers from the reference implementation, golang.org/x/mod/sumdb/note: the data values
 * (keys, text, signature lines) are copied from github.com/golang/mod, file sumdb/note/note_test.go
 * (TestNewVerifier, TestNewSigner, TestSign, TestOpen) at commit
 * 02c991387e35f9e4c0a9b7ce137717055f8d716d, and its package documentation in sumdb/note/note.go.
 * BSD-style licence, Copyright 2019 The Go Authors. Ed25519 is deterministic (RFC 8032), so
 * signing the same text with the same key must give the same bytes.
 */
class GoKnownAnswerTest {
    static final String PETER_SIGNER =
            "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    static final String PETER_VERIFIER =
            "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    static final String ENOCH_VERIFIER =
            "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    static final String TEXT = "If you think cryptography is the answer to your problem,\n"
            + "then you don't know what your problem is.\n";
    static final String PETER_SIG = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuG"
            + "UgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    static final String ENOCH_SIG = "— EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiO"
            + "Hp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";
    /**
     * Go's "Invalid signature" case inserts "ABCD" at byte 60 of PETER_SIG; the em dash is three
     * bytes in UTF-8 and one char here, so that is char 58.
     */
    static final String PETER_SIG_ABCD = PETER_SIG.substring(0, 58) + "ABCD" + PETER_SIG.substring(58);
    static final String ENOCH_SIG_ABCD = ENOCH_SIG.substring(0, 58) + "ABCD" + ENOCH_SIG.substring(58);

    @Test
    void parseSigner_goKey_derivesNameKeyIdAndVerifierKey() {
        SignerKey key = SignerKey.parse(PETER_SIGNER);

        assertThat(key.name()).isEqualTo("PeterNeumann");
        assertThat(key.keyId()).isEqualTo(0xc74f20a3);
        assertThat(key.verifierKey().encode()).isEqualTo(PETER_VERIFIER);
        assertThat(key.encode()).isEqualTo(PETER_SIGNER);
    }

    @Test
    void parseVerifier_goKeys_roundTrip() {
        VerifierKey peter = VerifierKey.parse(PETER_VERIFIER);
        VerifierKey enoch = VerifierKey.parse(ENOCH_VERIFIER);

        assertThat(peter.name()).isEqualTo("PeterNeumann");
        assertThat(peter.keyId()).isEqualTo(0xc74f20a3);
        assertThat(peter.encode()).isEqualTo(PETER_VERIFIER);
        assertThat(enoch.name()).isEqualTo("EnochRoot");
        assertThat(enoch.keyId()).isEqualTo(0xaf0cfe78);
        assertThat(enoch.encode()).isEqualTo(ENOCH_VERIFIER);
    }

    @Test
    void sign_goKeyAndText_givesGoSignedNoteByteForByte() {
        Note note = Note.sign(TEXT, SignerKey.parse(PETER_SIGNER));

        assertThat(note.encode()).isEqualTo(TEXT + "\n" + PETER_SIG);
    }

    @Test
    void verify_goSignedNote_returnsText() throws NoteException {
        Note note = Note.parse(TEXT + "\n" + PETER_SIG);

        assertThat(note.verify(List.of(VerifierKey.parse(PETER_VERIFIER)))).isEqualTo(TEXT);
        assertThat(note.signatures()).singleElement().satisfies(s -> {
            assertThat(s.name()).isEqualTo("PeterNeumann");
            assertThat(s.keyId()).isEqualTo(0xc74f20a3);
            assertThat(s.signature()).hasSize(64);
        });
    }

    @Test
    void verify_goSignedNoteAsUtf8Bytes_returnsText() throws NoteException {
        byte[] bytes = (TEXT + "\n" + PETER_SIG).getBytes(StandardCharsets.UTF_8);

        assertThat(Note.parse(bytes).verify(List.of(VerifierKey.parse(PETER_VERIFIER)))).isEqualTo(TEXT);
    }

    @Test
    void verify_goDoublySignedNoteWithOneKnownKey_ignoresTheOther() throws NoteException {
        Note note = Note.parse(TEXT + "\n" + PETER_SIG + ENOCH_SIG);

        assertThat(note.verify(List.of(VerifierKey.parse(PETER_VERIFIER)))).isEqualTo(TEXT);
        assertThat(note.verify(List.of(VerifierKey.parse(ENOCH_VERIFIER)))).isEqualTo(TEXT);
        assertThat(note.verify(List.of(VerifierKey.parse(PETER_VERIFIER),
                VerifierKey.parse(ENOCH_VERIFIER)))).isEqualTo(TEXT);
    }

    @Test
    void verify_goDoublySignedNoteWithNoKnownKey_throws() throws NoteException {
        Note note = Note.parse(TEXT + "\n" + PETER_SIG + ENOCH_SIG);

        assertThatThrownBy(() -> note.verify(List.of()))
                .isInstanceOf(NoteException.class)
                .hasMessageStartingWith("couldn't verify note: signatures by unknown keys"
                        + " \"PeterNeumann+c74f20a3\", \"EnochRoot+af0cfe78\"");
    }

    @Test
    void verify_goInvalidSignature_throws() throws NoteException {
        Note note = Note.parse(TEXT + "\n" + PETER_SIG_ABCD);

        assertThatThrownBy(() -> note.verify(List.of(VerifierKey.parse(PETER_VERIFIER))))
                .isInstanceOf(NoteException.class)
                .hasMessageStartingWith("couldn't verify note: signature by \"PeterNeumann+c74f20a3\""
                        + " does not verify");
    }

    @Test
    void verify_goRepeatedAndCorruptUnknownSignatures_ignoresThem() throws NoteException {
        Note note = Note.parse(TEXT + "\n" + PETER_SIG + PETER_SIG + ENOCH_SIG + ENOCH_SIG
                + ENOCH_SIG_ABCD);

        assertThat(note.verify(List.of(VerifierKey.parse(PETER_VERIFIER)))).isEqualTo(TEXT);
        assertThat(note.signatures()).hasSize(5);
    }

    @Test
    void parse_goMalformedNotes_throw() {
        List<String> malformed = List.of(
                TEXT,
                TEXT + "\n",
                TEXT + "\n" + PETER_SIG.substring(0, PETER_SIG.length() - 1),
                "\u0001" + TEXT + "\n" + PETER_SIG,
                TEXT + "\n" + "— Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZ"
                        + "SNXgKvqfqdngotpRZb6KE6RyyBwJnAM=",
                TEXT + "\n" + PETER_SIG + "Unexpected line.\n",
                TEXT + "\n" + PETER_SIG.repeat(101));
        for (String m : malformed) {
            assertThatThrownBy(() -> Note.parse(m)).as("%s", m).isInstanceOf(NoteException.class);
        }
    }

    @Test
    void parse_goNoteWithByteFF_throws() {
        byte[] text = TEXT.getBytes(StandardCharsets.UTF_8);
        byte[] rest = ("\n" + PETER_SIG).getBytes(StandardCharsets.UTF_8);
        byte[] bytes = new byte[1 + text.length + rest.length];
        bytes[0] = (byte) 0xff;
        System.arraycopy(text, 0, bytes, 1, text.length);
        System.arraycopy(rest, 0, bytes, 1 + text.length, rest.length);

        assertThatThrownBy(() -> Note.parse(bytes))
                .isInstanceOf(NoteException.class)
                .hasMessage("couldn't parse note: it is not valid UTF-8 (at byte 0)");
    }

    @Test
    void parseVerifier_goBadKeys_throw() {
        // wrong length key, with adjusted key hash. Go refuses it for its length; we refuse it
        // sooner, as "KEY==" has non-zero padding bits and so is not canonical base64.
        assertThatThrownBy(() -> VerifierKey.parse(
                "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not canonical standard base64");
        // unknown algorithm, with adjusted key hash
        assertThatThrownBy(() -> VerifierKey.parse(
                "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("key type is 0x65, not 0x01");
    }

    @Test
    void parseVerifier_everyProperSubstringAndEveryIncrementedChar_throws() {
        assertEveryManglingRejected(PETER_VERIFIER, VerifierKey::parse);
    }

    @Test
    void parseSigner_everyProperSubstringAndEveryIncrementedChar_throws() {
        assertEveryManglingRejected(PETER_SIGNER, SignerKey::parse);
    }

    /** As Go's TestNewVerifier and TestNewSigner: each proper substring, each char plus one. */
    private static void assertEveryManglingRejected(String key, java.util.function.Consumer<String> parse) {
        for (int i = 0; i <= key.length(); i++) {
            for (int j = i + 1; j <= key.length(); j++) {
                if (i == 0 && j == key.length()) {
                    continue;
                }
                String mangled = key.substring(i, j);
                assertThatThrownBy(() -> parse.accept(mangled)).as("substring [%d, %d)", i, j)
                        .isInstanceOf(IllegalArgumentException.class);
            }
        }
        char[] chars = key.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            chars[i]++;
            String mangled = new String(chars);
            assertThatThrownBy(() -> parse.accept(mangled)).as("char %d incremented", i)
                    .isInstanceOf(IllegalArgumentException.class);
            chars[i]--;
        }
    }
}
