package dev.warden.ledger.note;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * RFC 8032 Ed25519 through the JDK's own provider ({@code "Ed25519"}), plus the key ID of C2SP
 * signed-note §Signatures. Stateless and thread-safe: every call takes its own JCA objects.
 */
final class Ed25519 {
    /** C2SP signed-note §Signature types: {@code 0x01} is Ed25519. */
    static final byte TYPE = 0x01;
    static final int SEED_SIZE = 32;
    static final int PUBLIC_KEY_SIZE = 32;
    static final int SIGNATURE_SIZE = 64;

    /** DER of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410 §4), up to the 32 key bytes. */
    private static final byte[] SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private Ed25519() {
    }

    /**
     * RFC 8032 §5.1.5: the key pair of a 32-byte seed. The JDK has no public "public key from
     * seed" call, but its generator draws exactly the seed from the random source it is given, so
     * we hand it one that yields the seed. The result is checked, so a JDK that drew differently
     * would fail here rather than produce a wrong key.
     */
    static KeyPair keyPair(byte[] seed) {
        if (seed.length != SEED_SIZE) {
            throw new IllegalArgumentException("an Ed25519 seed has 32 bytes, not " + seed.length);
        }
        KeyPair pair;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            generator.initialize(NamedParameterSpec.ED25519, new SeedSource(seed));
            pair = generator.generateKeyPair();
        } catch (NoSuchAlgorithmException | InvalidAlgorithmParameterException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        }
        byte[] drawn = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElse(new byte[0]);
        boolean same = MessageDigest.isEqual(drawn, seed);
        Arrays.fill(drawn, (byte) 0);
        if (!same) {
            throw new IllegalStateException("the JDK's Ed25519 generator did not use the given seed");
        }
        return pair;
    }

    /** The 32 raw bytes of an Ed25519 public key (RFC 8032 §5.1.5), from its X.509 encoding. */
    static byte[] rawPublicKey(PublicKey key) {
        byte[] der = key.getEncoded();
        if (der.length != SPKI_PREFIX.length + PUBLIC_KEY_SIZE
                || !Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)) {
            throw new IllegalStateException("unexpected Ed25519 public key encoding "
                    + HexFormat.of().formatHex(der));
        }
        return Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length);
    }

    /**
     * A JCA public key for 32 raw bytes.
     *
     * @throws IllegalArgumentException if the JDK refuses the bytes
     */
    static PublicKey publicKey(byte[] raw) {
        if (raw.length != PUBLIC_KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 public key has 32 bytes, not " + raw.length);
        }
        byte[] der = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + PUBLIC_KEY_SIZE);
        System.arraycopy(raw, 0, der, SPKI_PREFIX.length, PUBLIC_KEY_SIZE);
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no Ed25519", e);
        } catch (InvalidKeySpecException e) {
            throw new IllegalArgumentException("not an Ed25519 public key: " + e.getMessage(), e);
        }
    }

    /** RFC 8032 §5.1.6: the 64-byte signature of {@code message}. Deterministic. */
    static byte[] sign(PrivateKey key, byte[] message) {
        try {
            Signature signer = Signature.getInstance("Ed25519");
            signer.initSign(key);
            signer.update(message);
            return signer.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** RFC 8032 §5.1.7. False, never an exception, for a signature that does not verify. */
    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        if (signature == null || signature.length != SIGNATURE_SIZE) {
            return false;
        }
        try {
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(key);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            // A verifier fails closed: whatever the provider objects to is "does not verify".
            return false;
        }
    }

    /**
     * C2SP signed-note §Ed25519 signatures: {@code SHA-256(name || 0x0A || 0x01 || pub32)[:4]},
     * big-endian.
     */
    static int keyId(String name, byte[] publicKey) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
        sha256.update(name.getBytes(StandardCharsets.UTF_8));
        sha256.update((byte) '\n');
        sha256.update(TYPE);
        sha256.update(publicKey);
        byte[] h = sha256.digest();
        return (h[0] & 0xff) << 24 | (h[1] & 0xff) << 16 | (h[2] & 0xff) << 8 | h[3] & 0xff;
    }

    /** A random source that yields one given seed, once; see {@link #keyPair(byte[])}. */
    private static final class SeedSource extends SecureRandom {
        private byte[] seed;

        SeedSource(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            if (seed == null || bytes.length != seed.length) {
                throw new IllegalStateException("the Ed25519 generator drew "
                        + bytes.length + " bytes, not the one 32-byte seed");
            }
            System.arraycopy(seed, 0, bytes, 0, seed.length);
            Arrays.fill(seed, (byte) 0);
            seed = null;
        }
    }
}
