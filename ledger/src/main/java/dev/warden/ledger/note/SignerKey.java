package dev.warden.ledger.note;

import dev.warden.ledger.internal.Text;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * An Ed25519 signing key for notes: the secret half of a {@link VerifierKey}.
 *
 * <p>Its text form, from golang.org/x/mod/sumdb/note ("Signing Notes"), is
 * {@code PRIVATE+KEY+<name>+<8 hex key ID>+<base64(0x01 || seed32)>}. Anyone who has that text
 * can sign as this key, so it is a secret: {@link #toString()} and every error message show the
 * name and key ID only, never the key.
 *
 * <p>Immutable and thread-safe.
 */
public final class SignerKey {
    private static final String PREFIX = "PRIVATE+KEY+";

    private final String name;
    private final byte[] seed;
    private final PrivateKey privateKey;
    private final VerifierKey verifierKey;

    private SignerKey(String name, byte[] seed) {
        KeyPair pair = Ed25519.keyPair(seed);
        this.name = name;
        this.seed = seed.clone();
        this.privateKey = pair.getPrivate();
        this.verifierKey = VerifierKey.of(name, Ed25519.rawPublicKey(pair.getPublic()));
    }

    /**
     * A new key with a seed from {@link SecureRandom}. Requires a valid key name (C2SP
     * signed-note §Format): non-empty, without Unicode spaces, {@code +} or control characters.
     *
     * @throws IllegalArgumentException if the name is not valid
     */
    public static SignerKey generate(String name) {
        Objects.requireNonNull(name, "name");
        if (!Syntax.isValidName(name)) {
            throw new IllegalArgumentException("couldn't generate signer key: key name "
                    + Text.quote(name) + " is not valid\nhint: a key name is non-empty,"
                    + " without spaces or '+', such as \"example.org/log\"");
        }
        byte[] seed = new byte[Ed25519.SEED_SIZE];
        new SecureRandom().nextBytes(seed);
        try {
            return new SignerKey(name, seed);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /**
     * Parses {@code PRIVATE+KEY+<name>+<8 hex key ID>+<base64(0x01 || seed32)>}, as
     * golang.org/x/mod/sumdb/note {@code NewSigner} does. Requires: the prefix; a valid name; the
     * key ID in 8 lower-case hex digits; canonical standard base64 of 33 bytes, the first being
     * the type {@code 0x01}; and the key ID equal to the one of the public key derived from the
     * seed (C2SP signed-note §Ed25519 signatures).
     *
     * @throws IllegalArgumentException naming the first check that fails; the message never
     *     contains the text, which is a secret
     */
    public static SignerKey parse(String text) {
        Objects.requireNonNull(text, "text");
        String prefix = "couldn't parse signer key: ";
        if (!text.startsWith(PREFIX)) {
            throw new IllegalArgumentException(prefix + "it does not start with \"PRIVATE+KEY+\""
                    + "\nhint: a signer key is PRIVATE+KEY+<name>+<key ID>+<key>;"
                    + " <name>+<key ID>+<key> is a verifier key, which cannot sign");
        }
        int plus1 = text.indexOf('+', PREFIX.length());
        int plus2 = plus1 < 0 ? -1 : text.indexOf('+', plus1 + 1);
        if (plus2 < 0) {
            throw new IllegalArgumentException(prefix + "it is not PRIVATE+KEY+<name>+<key ID>+<key>");
        }
        String name = text.substring(PREFIX.length(), plus1);
        String hex = text.substring(plus1 + 1, plus2);
        String key64 = text.substring(plus2 + 1);
        // Nothing after the prefix is quoted until the key is known to be well formed: in a
        // mangled key, any part may hold some of the secret.
        if (!Syntax.isValidName(name)) {
            throw new IllegalArgumentException(prefix + "the key name is not valid"
                    + "\nhint: a key name is non-empty, without spaces or '+'");
        }
        prefix = "couldn't parse signer key " + Text.quote(name) + ": ";
        Integer claimed = Syntax.parseHex(hex);
        if (claimed == null) {
            throw new IllegalArgumentException(prefix + "the key ID is not 8 lower-case hex digits");
        }
        byte[] key = Syntax.decodeBase64(key64);
        if (key == null) {
            throw new IllegalArgumentException(prefix + "the key is not canonical standard base64");
        }
        try {
            if (key.length == 0 || key[0] != Ed25519.TYPE) {
                throw new IllegalArgumentException(prefix + "the key type is "
                        + (key.length == 0 ? "missing" : String.format("0x%02x", key[0] & 0xff))
                        + ", not 0x01 (Ed25519)");
            }
            if (key.length != 1 + Ed25519.SEED_SIZE) {
                throw new IllegalArgumentException(prefix + "the key has " + key.length
                        + " bytes, not 33 (type byte and 32-byte Ed25519 seed)");
            }
            SignerKey parsed = new SignerKey(name, Arrays.copyOfRange(key, 1, key.length));
            if (parsed.keyId() != claimed) {
                throw new IllegalArgumentException(prefix + "the key ID does not match the key,"
                        + " whose ID is " + Text.quote(Syntax.hex(parsed.keyId())));
            }
            return parsed;
        } finally {
            Arrays.fill(key, (byte) 0);
        }
    }

    /**
     * The text form, {@code PRIVATE+KEY+<name>+<8 hex key ID>+<base64(0x01 || seed32)>}. It is a
     * secret: store it as one, and never log it.
     */
    public String encode() {
        byte[] typed = new byte[1 + seed.length];
        typed[0] = Ed25519.TYPE;
        System.arraycopy(seed, 0, typed, 1, seed.length);
        try {
            return PREFIX + name + "+" + Syntax.hex(keyId()) + "+"
                    + Base64.getEncoder().encodeToString(typed);
        } finally {
            Arrays.fill(typed, (byte) 0);
        }
    }

    public String name() {
        return name;
    }

    /** C2SP signed-note §Ed25519 signatures: the key ID of the public half. */
    public int keyId() {
        return verifierKey.keyId();
    }

    /** The public half, to give to verifiers. */
    public VerifierKey verifierKey() {
        return verifierKey;
    }

    /** RFC 8032 §5.1.6: the 64-byte Ed25519 signature of {@code message}. Deterministic. */
    public byte[] sign(byte[] message) {
        Objects.requireNonNull(message, "message");
        return Ed25519.sign(privateKey, message);
    }

    /** The name and key ID only: the key is a secret. */
    @Override
    public String toString() {
        return "SignerKey[" + name + "+" + Syntax.hex(keyId()) + "]";
    }
}
