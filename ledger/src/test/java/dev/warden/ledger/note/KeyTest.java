package dev.warden.ledger.note;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyTest {
    private static final String PETER_SIGNER = GoKnownAnswerTest.PETER_SIGNER;
    private static final String PETER_VERIFIER = GoKnownAnswerTest.PETER_VERIFIER;
    /** The seed part of PETER_SIGNER, which no message may show. */
    private static final String SECRET = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";

    @Test
    void generate_thenEncodeAndParse_roundTrips() {
        SignerKey key = SignerKey.generate("example.org/log");

        SignerKey parsed = SignerKey.parse(key.encode());

        assertThat(parsed.name()).isEqualTo("example.org/log");
        assertThat(parsed.keyId()).isEqualTo(key.keyId());
        assertThat(parsed.encode()).isEqualTo(key.encode());
        assertThat(parsed.verifierKey()).isEqualTo(key.verifierKey());
        assertThat(VerifierKey.parse(key.verifierKey().encode())).isEqualTo(key.verifierKey());
    }

    @Test
    void generate_twice_givesDifferentKeys() {
        assertThat(SignerKey.generate("a").verifierKey()).isNotEqualTo(SignerKey.generate("a").verifierKey());
    }

    @Test
    void sign_thenVerify_acceptsAndRejectsOtherMessageOrSignature() {
        SignerKey key = SignerKey.generate("example.org/log");
        byte[] message = "hi".getBytes(StandardCharsets.UTF_8);
        byte[] signature = key.sign(message);

        assertThat(signature).hasSize(64);
        assertThat(key.sign(message)).isEqualTo(signature);
        assertThat(key.verifierKey().verify(message, signature)).isTrue();
        signature[0]++;
        assertThat(key.verifierKey().verify(message, signature)).isFalse();
        signature[0]--;
        message[0]++;
        assertThat(key.verifierKey().verify(message, signature)).isFalse();
    }

    @Test
    void verify_signatureOfWrongLengthOrNullOrGarbage_returnsFalse() {
        VerifierKey key = VerifierKey.parse(PETER_VERIFIER);
        byte[] message = {1, 2, 3};

        assertThat(key.verify(message, null)).isFalse();
        assertThat(key.verify(message, new byte[0])).isFalse();
        assertThat(key.verify(message, new byte[63])).isFalse();
        assertThat(key.verify(message, new byte[65])).isFalse();
        byte[] ones = new byte[64];
        java.util.Arrays.fill(ones, (byte) 0xff);
        assertThat(key.verify(message, ones)).isFalse();
        assertThat(key.verify(message, new byte[64])).isFalse();
    }

    @Test
    void verify_publicKeyThatIsNoPoint_returnsFalse() {
        // y = 2^255 - 1 is above the field prime: as Go does, the key is taken, and never verifies.
        byte[] raw = new byte[32];
        java.util.Arrays.fill(raw, (byte) 0xff);
        VerifierKey key = VerifierKey.of("odd", raw);

        assertThat(key.verify(new byte[1], new byte[64])).isFalse();
    }

    @Test
    void signerToString_showsNameAndKeyIdButNotTheSecret() {
        SignerKey key = SignerKey.parse(PETER_SIGNER);

        assertThat(key.toString()).isEqualTo("SignerKey[PeterNeumann+c74f20a3]").doesNotContain(SECRET);
    }

    @Test
    void parseSigner_keyIdMismatch_throwsWithoutShowingTheSecret() {
        String text = PETER_SIGNER.replace("c74f20a3", "c74f20a4");

        assertThatThrownBy(() -> SignerKey.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("couldn't parse signer key \"PeterNeumann\": the key ID does not match"
                        + " the key, whose ID is \"c74f20a3\"")
                .message().doesNotContain(SECRET);
    }

    @Test
    void parseSigner_verifierKey_throwsWithHint() {
        assertThatThrownBy(() -> SignerKey.parse(PETER_VERIFIER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("couldn't parse signer key: it does not start with \"PRIVATE+KEY+\"")
                .hasMessageContaining("\nhint: ");
    }

    @Test
    void parseSigner_missingParts_throws() {
        assertThatThrownBy(() -> SignerKey.parse("PRIVATE+KEY+PeterNeumann"))
                .hasMessage("couldn't parse signer key: it is not PRIVATE+KEY+<name>+<key ID>+<key>");
        assertThatThrownBy(() -> SignerKey.parse("PRIVATE+KEY+PeterNeumann+c74f20a3"))
                .hasMessage("couldn't parse signer key: it is not PRIVATE+KEY+<name>+<key ID>+<key>");
    }

    @Test
    void parseSigner_emptyName_throwsWithoutShowingTheSecret() {
        assertThatThrownBy(() -> SignerKey.parse("PRIVATE+KEY++c74f20a3+" + SECRET))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("couldn't parse signer key: the key name is not valid")
                .message().doesNotContain(SECRET);
    }

    @Test
    void parseSigner_nameWithSpace_throws() {
        assertThatThrownBy(() -> SignerKey.parse("PRIVATE+KEY+Peter Neumann+c74f20a3+" + SECRET))
                .hasMessageStartingWith("couldn't parse signer key: the key name is not valid");
    }

    @Test
    void parseSigner_upperCaseKeyId_throws() {
        assertThatThrownBy(() -> SignerKey.parse(PETER_SIGNER.replace("c74f20a3", "C74F20A3")))
                .hasMessage("couldn't parse signer key \"PeterNeumann\": the key ID is not 8 lower-case"
                        + " hex digits");
    }

    @Test
    void parseSigner_shortKeyId_throws() {
        assertThatThrownBy(() -> SignerKey.parse(PETER_SIGNER.replace("c74f20a3", "c74f20a")))
                .hasMessage("couldn't parse signer key \"PeterNeumann\": the key ID is not 8 lower-case"
                        + " hex digits");
    }

    @Test
    void parseSigner_keyNotBase64_throws() {
        assertThatThrownBy(() -> SignerKey.parse("PRIVATE+KEY+PeterNeumann+c74f20a3+not base64"))
                .hasMessage("couldn't parse signer key \"PeterNeumann\": the key is not canonical"
                        + " standard base64");
    }

    @Test
    void parseSigner_keyWithoutPadding_throws() {
        String unpadded = Base64.getEncoder().withoutPadding().encodeToString(new byte[34]);
        assertThatThrownBy(() -> SignerKey.parse("PRIVATE+KEY+PeterNeumann+c74f20a3+" + unpadded))
                .hasMessage("couldn't parse signer key \"PeterNeumann\": the key is not canonical"
                        + " standard base64");
    }

    @Test
    void parseSigner_wrongType_throws() {
        byte[] typed = Base64.getDecoder().decode(SECRET);
        typed[0] = 0x04;
        assertThatThrownBy(() -> SignerKey.parse("PRIVATE+KEY+PeterNeumann+c74f20a3+"
                + Base64.getEncoder().encodeToString(typed)))
                .hasMessage("couldn't parse signer key \"PeterNeumann\": the key type is 0x04, not"
                        + " 0x01 (Ed25519)");
    }

    @Test
    void parseSigner_emptyKey_throws() {
        assertThatThrownBy(() -> SignerKey.parse("PRIVATE+KEY+PeterNeumann+c74f20a3+"))
                .hasMessage("couldn't parse signer key \"PeterNeumann\": the key type is missing,"
                        + " not 0x01 (Ed25519)");
    }

    @Test
    void parseSigner_wrongLength_throws() {
        byte[] typed = new byte[34];
        typed[0] = 0x01;
        assertThatThrownBy(() -> SignerKey.parse("PRIVATE+KEY+PeterNeumann+c74f20a3+"
                + Base64.getEncoder().encodeToString(typed)))
                .hasMessage("couldn't parse signer key \"PeterNeumann\": the key has 34 bytes, not 33"
                        + " (type byte and 32-byte Ed25519 seed)");
    }

    @Test
    void parseVerifier_signerKey_throwsWithoutShowingTheSecret() {
        assertThatThrownBy(() -> VerifierKey.parse(PETER_SIGNER))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("couldn't parse verifier key: it is a signer key")
                .message().doesNotContain(SECRET);
    }

    @Test
    void parseVerifier_keyNamedPrivate_parses() {
        VerifierKey key = SignerKey.generate("PRIVATE").verifierKey();

        assertThat(VerifierKey.parse(key.encode())).isEqualTo(key);
    }

    @Test
    void parseVerifier_missingParts_throws() {
        assertThatThrownBy(() -> VerifierKey.parse("PeterNeumann+c74f20a3"))
                .hasMessage("couldn't parse verifier key \"PeterNeumann+c74f20a3\": it is not"
                        + " <name>+<key ID>+<key>");
    }

    @Test
    void parseVerifier_emptyName_throws() {
        assertThatThrownBy(() -> VerifierKey.parse(PETER_VERIFIER.substring("PeterNeumann".length())))
                .hasMessageContaining(": key name \"\" is not valid");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Peter Neumann", "Peter\u00a0Neumann", "Peter\u2003Neumann", "Peter\tNeumann",
        "Peter\u0085Neumann", "Peter\u0001Neumann"})
    void parseVerifier_nameWithSpaceOrControl_throws(String name) {
        String text = name + PETER_VERIFIER.substring("PeterNeumann".length());
        assertThatThrownBy(() -> VerifierKey.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(" is not valid\nhint: a key name is non-empty, without spaces or '+'");
    }

    @Test
    void parseVerifier_upperCaseKeyId_throws() {
        assertThatThrownBy(() -> VerifierKey.parse(PETER_VERIFIER.replace("c74f20a3", "C74F20A3")))
                .hasMessageContaining(": key ID \"C74F20A3\" is not 8 lower-case hex digits");
    }

    @Test
    void parseVerifier_keyIdMismatch_throwsNamingBothIds() {
        assertThatThrownBy(() -> VerifierKey.parse(PETER_VERIFIER.replace("c74f20a3", "00000000")))
                .hasMessageEndingWith(": key ID \"00000000\" does not match the key, whose ID is \"c74f20a3\"");
    }

    @Test
    void parseVerifier_keyNotCanonicalBase64_throws() {
        // The last char of the key carries no padding bits: 33 bytes are 44 chars exactly, so
        // instead drop a char and see unpadded base64 refused.
        String text = PETER_VERIFIER.substring(0, PETER_VERIFIER.length() - 1);
        assertThatThrownBy(() -> VerifierKey.parse(text))
                .hasMessageContaining("is not canonical standard base64");
    }

    @Test
    void parseVerifier_wrongType_throws() {
        byte[] typed = Base64.getDecoder().decode("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
        typed[0] = 0x04;
        String text = "PeterNeumann+c74f20a3+" + Base64.getEncoder().encodeToString(typed);
        assertThatThrownBy(() -> VerifierKey.parse(text))
                .hasMessageEndingWith(": key type is 0x04, not 0x01 (Ed25519)");
    }

    @Test
    void parseVerifier_wrongLength_throws() {
        byte[] typed = new byte[32];
        typed[0] = 0x01;
        String text = "PeterNeumann+c74f20a3+" + Base64.getEncoder().encodeToString(typed);
        assertThatThrownBy(() -> VerifierKey.parse(text))
                .hasMessageEndingWith(": key has 32 bytes, not 33 (type byte and 32-byte Ed25519 public key)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a b", "a+b", "a\nb", "a\u3000b"})
    void generate_invalidName_throws(String name) {
        assertThatThrownBy(() -> SignerKey.generate(name))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("couldn't generate signer key: key name ");
    }

    @Test
    void keyId_isSha256OfNameNewlineTypeAndKey() throws Exception {
        VerifierKey key = VerifierKey.parse(PETER_VERIFIER);
        byte[] pub = Base64.getDecoder().decode("ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW");
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        sha.update("PeterNeumann\n".getBytes(StandardCharsets.UTF_8));
        sha.update(pub); // pub already starts with the type byte 0x01
        byte[] h = sha.digest();

        assertThat(key.keyId()).isEqualTo(java.nio.ByteBuffer.wrap(h, 0, 4).getInt());
    }
}
