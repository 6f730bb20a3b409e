package dev.warden.ledger.checkpoint;

import dev.warden.ledger.internal.Text;
import dev.warden.ledger.note.Note;
import dev.warden.ledger.note.NoteException;
import dev.warden.ledger.note.SignerKey;
import dev.warden.ledger.note.VerifierKey;
import dev.warden.ledger.tree.Hash;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A transparency log checkpoint (C2SP tlog-checkpoint, c2sp.org/tlog-checkpoint): the log's
 * origin, its tree size and its RFC 6962 root hash, signed as a note.
 *
 * <pre>
 * example.com/behind-the-sofa
 * 20852163
 * CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=
 * </pre>
 *
 * <p>Immutable and thread-safe.
 *
 * @param origin the log's identity: non-empty, without newline or other ASCII control characters
 *     or unpaired surrogates (a note could not carry them). The spec recommends, and our keys
 *     require, a schema-less URL without spaces or {@code +}, such as {@code example.com/log42}.
 * @param size the number of leaves, {@code >= 0}
 * @param root the RFC 6962 Merkle tree hash at {@code size}
 * @param extensions extension lines, each non-empty and without control characters; not
 *     recommended by the spec, as monitors cannot audit them
 */
public record Checkpoint(String origin, long size, Hash root, List<String> extensions) {
    /** @throws IllegalArgumentException if a field breaks the rules above */
    public Checkpoint {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(extensions, "extensions");
        String problem = lineProblem("origin", origin);
        if (problem != null) {
            throw new IllegalArgumentException("couldn't make checkpoint: " + problem);
        }
        if (size < 0) {
            throw new IllegalArgumentException("couldn't make checkpoint " + Text.quote(origin)
                    + ": tree size " + size + " is negative");
        }
        extensions = List.copyOf(extensions);
        for (String line : extensions) {
            problem = lineProblem("extension line", line);
            if (problem != null) {
                throw new IllegalArgumentException("couldn't make checkpoint " + Text.quote(origin)
                        + ": " + problem);
            }
        }
    }

    /** A checkpoint without extension lines. */
    public Checkpoint(String origin, long size, Hash root) {
        this(origin, size, root, List.of());
    }

    /**
     * C2SP tlog-checkpoint §Note text: {@code <origin>\n<size>\n<base64 root>\n}, then each
     * extension line and a newline.
     */
    public String body() {
        StringBuilder b = new StringBuilder(origin.length() + 80);
        b.append(origin).append('\n').append(size).append('\n').append(root.base64()).append('\n');
        for (String line : extensions) {
            b.append(line).append('\n');
        }
        return b.toString();
    }

    /**
     * C2SP tlog-checkpoint §Note text: parses a checkpoint body (the note text, not the signed
     * note). Requires, in this order: a final newline; no ASCII control character but newline and
     * no unpaired surrogate; at least three lines, none empty; an origin; a tree size in ASCII
     * decimal, without sign or leading zeros (only "0" may start with 0), at most
     * {@link Long#MAX_VALUE}; a root hash in canonical standard base64 of exactly 32 bytes.
     * Further lines are extension lines.
     *
     * @throws CheckpointException naming the first check that fails
     */
    public static Checkpoint parseBody(String text) throws CheckpointException {
        Objects.requireNonNull(text, "text");
        String prefix = "couldn't parse checkpoint: ";
        if (!text.endsWith("\n")) {
            throw new CheckpointException(prefix + "body " + Text.quote(text)
                    + " does not end with a newline");
        }
        int bad = Text.firstForbidden(text);
        if (bad >= 0) {
            throw new CheckpointException(prefix + "body has "
                    + Text.describeForbidden(text, bad));
        }
        List<String> lines = new ArrayList<>();
        for (int start = 0; start < text.length(); ) {
            int end = text.indexOf('\n', start);
            lines.add(text.substring(start, end));
            start = end + 1;
        }
        if (lines.size() < 3) {
            throw new CheckpointException(prefix + "body " + Text.quote(text) + " has " + lines.size()
                    + " line" + (lines.size() == 1 ? "" : "s") + ", not at least 3"
                    + "\nhint: a checkpoint body is <origin>, <tree size>, <root hash>, one a line");
        }
        String origin = lines.get(0);
        if (origin.isEmpty()) {
            throw new CheckpointException(prefix + "origin (line 1) is empty");
        }
        prefix = "couldn't parse checkpoint " + Text.quote(origin) + ": ";
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isEmpty()) {
                throw new CheckpointException(prefix + "line " + (i + 1) + " is empty"
                        + (i >= 3 ? "\nhint: extension lines must be non-empty" : ""));
            }
        }
        long size = parseSize(lines.get(1), prefix);
        String rootText = lines.get(2);
        Hash root;
        try {
            root = Hash.fromBase64(rootText);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(prefix + "root hash " + Text.quote(rootText)
                    + " is not base64 of 32 bytes", e);
        }
        if (!root.base64().equals(rootText)) {
            throw new CheckpointException(prefix + "root hash " + Text.quote(rootText)
                    + " is not canonical standard base64 (want " + Text.quote(root.base64()) + ")");
        }
        return new Checkpoint(origin, size, root, lines.subList(3, lines.size()));
    }

    /** C2SP tlog-checkpoint §Note text, line 2: decimal, no sign, no leading zeros, fits a long. */
    private static long parseSize(String text, String prefix) throws CheckpointException {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new CheckpointException(prefix + "tree size " + Text.quote(text)
                        + " is not a decimal number (digits 0-9 only, no sign)");
            }
        }
        if (text.length() > 1 && text.charAt(0) == '0') {
            throw new CheckpointException(prefix + "tree size " + Text.quote(text)
                    + " has a leading zero");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new CheckpointException(prefix + "tree size " + Text.quote(text) + " is above "
                    + Long.MAX_VALUE, e);
        }
    }

    /**
     * C2SP tlog-checkpoint §Signatures: the signed note for this checkpoint, signed by
     * {@code key}. Requires {@code key.name()} to equal the origin, as the spec recommends.
     *
     * @return the encoded note: the body, a blank line and the signature line
     * @throws IllegalArgumentException if the key's name is not the origin
     */
    public String sign(SignerKey key) {
        Objects.requireNonNull(key, "key");
        if (!key.name().equals(origin)) {
            throw new IllegalArgumentException("couldn't sign checkpoint " + Text.quote(origin)
                    + ": the key is named " + Text.quote(key.name()) + ", not the origin");
        }
        return Note.sign(body(), key).encode();
    }

    /**
     * C2SP tlog-checkpoint with C2SP signed-note §Signatures: opens a signed checkpoint from the
     * log whose key is {@code key}. In order: parses the note, verifies it (signatures by other
     * keys, such as witnesses' cosignatures, are ignored), parses the body, and requires the
     * origin to equal the key's name. Fails closed: returns only a verified checkpoint.
     *
     * @throws CheckpointException if any step fails; a {@link NoteException} is the cause when
     *     the note was at fault
     */
    public static Checkpoint open(String signedNote, VerifierKey key) throws CheckpointException {
        Objects.requireNonNull(signedNote, "signedNote");
        Objects.requireNonNull(key, "key");
        String prefix = "couldn't verify checkpoint " + Text.quote(key.name()) + ": ";
        String text;
        try {
            text = Note.parse(signedNote).verify(List.of(key));
        } catch (NoteException e) {
            throw new CheckpointException(prefix + e.getMessage(), e);
        }
        Checkpoint checkpoint;
        try {
            checkpoint = parseBody(text);
        } catch (CheckpointException e) {
            throw new CheckpointException(prefix + e.getMessage(), e);
        }
        if (!checkpoint.origin.equals(key.name())) {
            throw new CheckpointException(prefix + "its origin is " + Text.quote(checkpoint.origin)
                    + ", not the key name " + Text.quote(key.name())
                    + "\nhint: a log's key must be named after its origin; is this another log?");
        }
        return checkpoint;
    }

    /** Why {@code line} cannot be a non-empty line of a note's text, or null if it can. */
    private static String lineProblem(String what, String line) {
        if (line.isEmpty()) {
            return what + " is empty";
        }
        if (line.indexOf('\n') >= 0 || Text.firstForbidden(line) >= 0) {
            return what + " " + Text.quote(line)
                    + " has a newline, another control character or an unpaired surrogate";
        }
        return null;
    }
}
