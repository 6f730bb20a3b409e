package dev.warden.ledger.note;

import dev.warden.ledger.internal.Text;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A signed note (C2SP signed-note, c2sp.org/signed-note): a text and one or more signatures.
 *
 * <pre>
 * If you think cryptography is the answer to your problem,
 * then you don't know what your problem is.
 *
 * — PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=
 * </pre>
 *
 * <p>A parsed note is not trusted: its text means nothing until {@link #verify(Collection)} has
 * returned it. Immutable and thread-safe.
 *
 * @param text the signed text: ends with a newline, contains no ASCII control character other
 *     than newline and no unpaired surrogate (so it has a UTF-8 encoding); it may contain blank
 *     lines
 * @param signatures between 1 and {@link #MAX_SIGNATURES} signatures, in the order of the lines
 */
public record Note(String text, List<NoteSignature> signatures) {
    /**
     * The most signature lines a note may have. C2SP signed-note §Format requires at least 16 to
     * be accepted; 100 is the limit of golang.org/x/mod/sumdb/note.
     */
    public static final int MAX_SIGNATURES = 100;

    private static final String DASH = "\u2014 ";

    /** @throws IllegalArgumentException if the text or the number of signatures is not valid */
    public Note {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(signatures, "signatures");
        String problem = textProblem(text);
        if (problem != null) {
            throw new IllegalArgumentException("couldn't make note: " + problem);
        }
        signatures = List.copyOf(signatures);
        if (signatures.isEmpty() || signatures.size() > MAX_SIGNATURES) {
            throw new IllegalArgumentException("couldn't make note: it has " + signatures.size()
                    + " signatures, not between 1 and " + MAX_SIGNATURES);
        }
    }

    /**
     * C2SP signed-note §Format, from bytes: as {@link #parse(String)} after strict UTF-8
     * decoding. Requires valid UTF-8 (no overlong forms, no encoded surrogates).
     *
     * @throws NoteException if the bytes are not valid UTF-8 or not a well-formed note
     */
    public static Note parse(byte[] encoded) throws NoteException {
        Objects.requireNonNull(encoded, "encoded");
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(encoded);
        String decoded;
        try {
            decoded = utf8.decode(in).toString();
        } catch (CharacterCodingException e) {
            throw new NoteException("couldn't parse note: it is not valid UTF-8 (at byte "
                    + in.position() + ")", e);
        }
        return parse(decoded);
    }

    /**
     * C2SP signed-note §Format: parses, but does not verify, a signed note. Requires, in this
     * order: no ASCII control character but newline, and no unpaired surrogate; a final newline;
     * a blank line, the last of which ends the text (the text keeps its final newline); after
     * it, 1 to {@link #MAX_SIGNATURES} lines {@code — <key name> <base64(keyID[4] || sig)>},
     * each with an em dash (U+2014) and a space, a valid key name, one space, and canonical
     * standard base64 of at least 5 bytes.
     *
     * @throws NoteException naming the first check that fails, with the offending line quoted
     */
    public static Note parse(String encoded) throws NoteException {
        Objects.requireNonNull(encoded, "encoded");
        int bad = Text.firstForbidden(encoded);
        if (bad >= 0) {
            throw new NoteException("couldn't parse note: it has "
                    + Text.describeForbidden(encoded, bad)
                    + "\nhint: a note is UTF-8 text whose only control character is newline");
        }
        if (!encoded.endsWith("\n")) {
            throw new NoteException("couldn't parse note: it does not end with a newline");
        }
        int split = encoded.lastIndexOf("\n\n");
        if (split < 0) {
            throw new NoteException("couldn't parse note: it has no blank line before the"
                    + " signatures\nhint: a signed note is the text, a blank line, then lines"
                    + " \"— <key name> <signature>\"");
        }
        String text = encoded.substring(0, split + 1);
        String block = encoded.substring(split + 2);
        if (block.isEmpty()) {
            throw new NoteException("couldn't parse note: it has no signature lines after the"
                    + " last blank line");
        }
        List<NoteSignature> signatures = new ArrayList<>();
        int start = 0;
        while (start < block.length()) {
            if (signatures.size() == MAX_SIGNATURES) {
                throw new NoteException("couldn't parse note: it has more than " + MAX_SIGNATURES
                        + " signature lines");
            }
            int end = block.indexOf('\n', start); // found: the block ends with a newline
            signatures.add(parseLine(block.substring(start, end)));
            start = end + 1;
        }
        return new Note(text, signatures);
    }

    /** C2SP signed-note §Format: {@code — <key name> <base64(keyID[4] || signature)>}. */
    private static NoteSignature parseLine(String line) throws NoteException {
        String prefix = "couldn't parse note: signature line " + Text.quote(line) + " ";
        if (!line.startsWith(DASH)) {
            throw new NoteException(prefix + "does not start with an em dash (U+2014) and a"
                    + " space\nhint: the text ends at the last blank line; every line after it"
                    + " is a signature");
        }
        String rest = line.substring(DASH.length());
        int space = rest.indexOf(' ');
        if (space < 0) {
            throw new NoteException(prefix + "has no space between key name and signature");
        }
        String name = rest.substring(0, space);
        String base64 = rest.substring(space + 1);
        if (!Syntax.isValidName(name)) {
            throw new NoteException(prefix + "has an invalid key name " + Text.quote(name)
                    + "\nhint: a key name is non-empty, without spaces or '+'");
        }
        if (base64.isEmpty()) {
            throw new NoteException(prefix + "has an empty signature");
        }
        byte[] blob = Syntax.decodeBase64(base64);
        if (blob == null) {
            throw new NoteException(prefix + "has signature " + Text.quote(base64)
                    + ", which is not canonical standard base64");
        }
        if (blob.length < 5) {
            throw new NoteException(prefix + "has a signature of " + blob.length
                    + " bytes, fewer than a 4-byte key ID and at least one signature byte");
        }
        int keyId = (blob[0] & 0xff) << 24 | (blob[1] & 0xff) << 16 | (blob[2] & 0xff) << 8
                | blob[3] & 0xff;
        byte[] signature = new byte[blob.length - 4];
        System.arraycopy(blob, 4, signature, 0, signature.length);
        return new NoteSignature(name, keyId, signature);
    }

    /** C2SP signed-note §Format: the text, a blank line, then one line per signature. */
    public String encode() {
        StringBuilder b = new StringBuilder(text.length() + 1 + signatures.size() * 110);
        b.append(text).append('\n');
        for (NoteSignature s : signatures) {
            b.append(s.line());
        }
        return b.toString();
    }

    /**
     * C2SP signed-note §Ed25519 signatures: signs {@code text} (its UTF-8 bytes, final newline
     * included) with each key, in order. Requires a text that round-trips through
     * {@link #parse(String)}: it ends with a newline and has no ASCII control character but
     * newline and no unpaired surrogate. Requires 1 to {@link #MAX_SIGNATURES} keys, no two with
     * the same name and key ID.
     *
     * @throws IllegalArgumentException if a requirement does not hold
     */
    public static Note sign(String text, SignerKey... keys) {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(keys, "keys");
        String problem = textProblem(text);
        if (problem != null) {
            throw new IllegalArgumentException("couldn't sign note: " + problem);
        }
        if (keys.length == 0 || keys.length > MAX_SIGNATURES) {
            throw new IllegalArgumentException("couldn't sign note: " + keys.length
                    + " keys given, not between 1 and " + MAX_SIGNATURES);
        }
        Set<KeyRef> seen = new HashSet<>();
        for (SignerKey key : keys) {
            Objects.requireNonNull(key, "key");
            if (!seen.add(new KeyRef(key.name(), key.keyId()))) {
                throw new IllegalArgumentException("couldn't sign note: key "
                        + Syntax.keyRef(key.name(), key.keyId()) + " is given twice");
            }
        }
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        List<NoteSignature> signatures = new ArrayList<>(keys.length);
        for (SignerKey key : keys) {
            signatures.add(new NoteSignature(key.name(), key.keyId(), key.sign(message)));
        }
        return new Note(text, signatures);
    }

    /**
     * C2SP signed-note §Signatures: verifies the note against the keys a verifier trusts, and
     * returns the text only if it is authentic. A signature whose (name, key ID) pair matches no
     * known key is ignored, even if its name or its ID alone matches one. Every signature whose
     * pair matches a known key is verified (repeated ones too), and one that fails rejects the
     * note, even if another verifies. A note with no verified signature is rejected. Requires
     * that no two distinct known keys share both name and key ID.
     *
     * @return {@link #text()}, once verified
     * @throws NoteException if a known key's signature fails, or no known key signed the note
     * @throws IllegalArgumentException if two distinct known keys share name and key ID
     */
    public String verify(Collection<VerifierKey> known) throws NoteException {
        Objects.requireNonNull(known, "known");
        Map<KeyRef, VerifierKey> byRef = new HashMap<>();
        for (VerifierKey key : known) {
            Objects.requireNonNull(key, "known key");
            VerifierKey previous = byRef.putIfAbsent(new KeyRef(key.name(), key.keyId()), key);
            if (previous != null && !previous.equals(key)) {
                throw new IllegalArgumentException("couldn't verify note: two known keys are both "
                        + Syntax.keyRef(key.name(), key.keyId())
                        + "\nhint: a name and key ID must identify one key; remove one of them");
            }
        }
        byte[] message = text.getBytes(StandardCharsets.UTF_8);
        int verified = 0;
        List<NoteSignature> unknown = new ArrayList<>();
        for (NoteSignature s : signatures) {
            VerifierKey key = byRef.get(new KeyRef(s.name(), s.keyId()));
            if (key == null) {
                unknown.add(s);
                continue;
            }
            if (!key.verify(message, s.raw())) {
                throw new NoteException("couldn't verify note: signature by "
                        + Syntax.keyRef(s.name(), s.keyId()) + " does not verify"
                        + "\nhint: the note was changed after it was signed, or the signature"
                        + " is corrupt");
            }
            verified++;
        }
        if (verified == 0) {
            throw new NoteException(noKnownSignature(unknown, byRef.keySet()));
        }
        return text;
    }

    private static String noKnownSignature(List<NoteSignature> unknown, Set<KeyRef> known) {
        List<String> refs = unknown.stream().map(s -> Syntax.keyRef(s.name(), s.keyId()))
                .distinct().toList();
        String message = "couldn't verify note: signature" + (refs.size() == 1 ? "" : "s")
                + " by unknown key" + (refs.size() == 1 ? " " : "s ") + list(refs);
        if (known.isEmpty()) {
            return message + "\nhint: no verifier keys were given";
        }
        Set<String> unknownNames = unknown.stream().map(NoteSignature::name)
                .collect(Collectors.toSet());
        List<String> sameName = known.stream().filter(k -> unknownNames.contains(k.name()))
                .map(k -> Syntax.keyRef(k.name(), k.keyId())).sorted().toList();
        if (!sameName.isEmpty()) {
            return message + "\nhint: the name is known with another key ID, as " + list(sameName)
                    + "; if the signer has a new key, add its verifier key";
        }
        return message + "\nhint: the known keys are "
                + list(known.stream().map(k -> Syntax.keyRef(k.name(), k.keyId())).sorted().toList());
    }

    /** Up to 5 items, comma-separated, then how many more. */
    private static String list(List<String> items) {
        String shown = String.join(", ", items.subList(0, Math.min(5, items.size())));
        return items.size() <= 5 ? shown : shown + " and " + (items.size() - 5) + " more";
    }

    /** Why {@code text} cannot be a note's text, or null if it can. */
    private static String textProblem(String text) {
        if (!text.endsWith("\n")) {
            return "text " + Text.quote(text) + " does not end with a newline";
        }
        int bad = Text.firstForbidden(text);
        if (bad >= 0) {
            return "text has " + Text.describeForbidden(text, bad)
                    + "\nhint: a note is UTF-8 text whose only control character is newline";
        }
        return null;
    }

    /** A (key name, key ID) pair: what identifies a key in C2SP signed-note §Signatures. */
    private record KeyRef(String name, int keyId) {
    }
}
