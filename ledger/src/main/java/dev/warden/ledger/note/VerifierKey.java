package dev.warden.ledger.note;

import dev.warden.ledger.internal.Text;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * An Ed25519 public key with its name: what a verifier trusts to check signatures on notes.
 *
 * <p>Its text form, from golang.org/x/mod/sumdb/note ("Verifying Notes") and the key ID of C2SP
 * signed-note §Ed25519 signatures, is {@code <name>+<8 hex key ID>+<base64(0x01 || pub32)>}, for
 * example {@code PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW}.
 *
 * <p>Immutable and thread-safe. Two keys are equal when their names and public keys are.
 */
public final class VerifierKey {
    private final String name;
    private final int keyId;
    private final byte[] publicKey;
    private final PublicKey jcaKey;

    private VerifierKey(String name, byte[] publicKey) {
        this.name = name;
        this.publicKey = publicKey.clone();
        this.keyId = Ed25519.keyId(name, this.publicKey);
        this.jcaKey = Ed25519.publicKey(this.publicKey);
    }

    /** The verifier key for a valid name and a 32-byte Ed25519 public key. */
    static VerifierKey of(String name, byte[] publicKey) {
        if (!Syntax.isValidName(name)) {
            throw new IllegalArgumentException("couldn't make verifier key: key name "
                    + Text.quote(name) + " is not valid");
        }
        return new VerifierKey(name, publicKey);
    }

    /**
     * Parses {@code <name>+<8 hex key ID>+<base64(0x01 || pub32)>}, as golang.org/x/mod/sumdb/note
     * {@code NewVerifier} does, with the key ID of C2SP signed-note §Ed25519 signatures.
     * Requires: a valid name (non-empty, no Unicode spaces, no {@code +}, no control
     * characters); the key ID in 8 lower-case hex digits; canonical standard base64 of 33 bytes,
     * the first being the type {@code 0x01}; and the key ID equal to the one computed from the
     * name and key.
     *
     * @throws IllegalArgumentException naming the first of those checks that fails. A signer key
     *     passed here by mistake is refused without being quoted, as it is a secret.
     */
    public static VerifierKey parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.startsWith("PRIVATE+KEY+")) {
            throw new IllegalArgumentException("couldn't parse verifier key: it is a signer key,"
                    + " which is secret (not shown)\nhint: pass the public half,"
                    + " <name>+<key ID>+<key>, as printed by SignerKey.verifierKey()");
        }
        String prefix = "couldn't parse verifier key " + Text.quote(text) + ": ";
        int plus1 = text.indexOf('+');
        int plus2 = plus1 < 0 ? -1 : text.indexOf('+', plus1 + 1);
        if (plus2 < 0) {
            throw new IllegalArgumentException(prefix + "it is not <name>+<key ID>+<key>");
        }
        String name = text.substring(0, plus1);
        String hex = text.substring(plus1 + 1, plus2);
        String key64 = text.substring(plus2 + 1);
        if (!Syntax.isValidName(name)) {
            throw new IllegalArgumentException(prefix + "key name " + Text.quote(name)
                    + " is not valid\nhint: a key name is non-empty, without spaces or '+'");
        }
        Integer claimed = Syntax.parseHex(hex);
        if (claimed == null) {
            throw new IllegalArgumentException(prefix + "key ID " + Text.quote(hex)
                    + " is not 8 lower-case hex digits");
        }
        byte[] key = Syntax.decodeBase64(key64);
        if (key == null) {
            throw new IllegalArgumentException(prefix + "key " + Text.quote(key64)
                    + " is not canonical standard base64");
        }
        if (key.length == 0 || key[0] != Ed25519.TYPE) {
            throw new IllegalArgumentException(prefix + "key type is "
                    + (key.length == 0 ? "missing" : String.format("0x%02x", key[0] & 0xff))
                    + ", not 0x01 (Ed25519)");
        }
        if (key.length != 1 + Ed25519.PUBLIC_KEY_SIZE) {
            throw new IllegalArgumentException(prefix + "key has " + key.length
                    + " bytes, not 33 (type byte and 32-byte Ed25519 public key)");
        }
        VerifierKey parsed = new VerifierKey(name, Arrays.copyOfRange(key, 1, key.length));
        if (parsed.keyId != claimed) {
            throw new IllegalArgumentException(prefix + "key ID " + Text.quote(hex)
                    + " does not match the key, whose ID is " + Text.quote(Syntax.hex(parsed.keyId)));
        }
        return parsed;
    }

    /** The text form, {@code <name>+<8 hex key ID>+<base64(0x01 || pub32)>}. */
    public String encode() {
        byte[] typed = new byte[1 + publicKey.length];
        typed[0] = Ed25519.TYPE;
        System.arraycopy(publicKey, 0, typed, 1, publicKey.length);
        return name + "+" + Syntax.hex(keyId) + "+" + Base64.getEncoder().encodeToString(typed);
    }

    public String name() {
        return name;
    }

    /** C2SP signed-note §Ed25519 signatures: {@code SHA-256(name || 0x0A || 0x01 || pub32)[:4]}. */
    public int keyId() {
        return keyId;
    }

    /**
     * RFC 8032 §5.1.7 Ed25519 verification of {@code signature} over {@code message}.
     *
     * @return false, never an exception, if the signature is not 64 bytes or does not verify
     */
    public boolean verify(byte[] message, byte[] signature) {
        Objects.requireNonNull(message, "message");
        return Ed25519.verify(jcaKey, message, signature);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VerifierKey k && name.equals(k.name) && Arrays.equals(publicKey, k.publicKey);
    }

    @Override
    public int hashCode() {
        return 31 * name.hashCode() + Arrays.hashCode(publicKey);
    }

    /** The text form: a verifier key is public. */
    @Override
    public String toString() {
        return encode();
    }
}
