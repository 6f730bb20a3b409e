package dev.warden.ledger.receipt;

import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.ledger.checkpoint.CheckpointException;
import dev.warden.ledger.note.VerifierKey;
import dev.warden.ledger.tree.Hash;
import dev.warden.ledger.tree.Hasher;
import dev.warden.ledger.tree.ProofException;
import dev.warden.ledger.tree.Proofs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * An offline-verifiable receipt that an entry is in the log: C2SP tlog-proof
 * ({@code c2sp.org/tlog-proof@v1}), holding the entry's index, its RFC 9162 inclusion proof and
 * the signed checkpoint it leads to. Store it with the extension {@code .tlog-proof}.
 *
 * @param extra   unauthenticated opaque data (tlog-proof §Format: never trusted)
 * @param index   the zero-based index of the entry
 * @param proof   the inclusion proof, the leaf's sibling first
 * @param checkpoint the signed checkpoint note, verbatim
 */
public record Receipt(Optional<byte[]> extra, long index, List<Hash> proof, String checkpoint) {
    /** The first line of every receipt (tlog-proof §Format). */
    public static final String HEADER = "c2sp.org/tlog-proof@v1";

    public Receipt {
        if (index < 0) {
            throw new IllegalArgumentException("receipt index " + index + " is negative");
        }
        extra = extra.map(byte[]::clone);
        proof = List.copyOf(proof);
    }

    /** tlog-proof §Format: header, optional extra, index, proof lines, empty line, checkpoint. */
    public String encode() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        extra.ifPresent(e -> sb.append("extra ").append(Base64.getEncoder().encodeToString(e)).append('\n'));
        sb.append("index ").append(index).append('\n');
        for (Hash h : proof) {
            sb.append(h.base64()).append('\n');
        }
        return sb.append('\n').append(checkpoint).toString();
    }

    /**
     * Parses a receipt as {@link #encode()} writes it.
     *
     * @throws ReceiptException naming the line that is wrong
     */
    public static Receipt parse(String text) throws ReceiptException {
        int split = text.indexOf("\n\n");
        if (split < 0) {
            throw new ReceiptException("couldn't parse receipt: no empty line before the checkpoint");
        }
        String[] lines = text.substring(0, split).split("\n", -1);
        String checkpoint = text.substring(split + 2);
        int at = 0;
        if (!lines[at].equals(HEADER)) {
            throw new ReceiptException("couldn't parse receipt: first line is \"" + lines[at]
                    + "\", expected \"" + HEADER + "\"");
        }
        at++;
        Optional<byte[]> extra = Optional.empty();
        if (at < lines.length && lines[at].startsWith("extra ")) {
            try {
                extra = Optional.of(Base64.getDecoder().decode(lines[at].substring(6)));
            } catch (IllegalArgumentException e) {
                throw new ReceiptException("couldn't parse receipt: extra data is not base64");
            }
            at++;
        }
        if (at >= lines.length || !lines[at].matches("index (0|[1-9][0-9]{0,18})")) {
            throw new ReceiptException("couldn't parse receipt: line " + (at + 1) + " is \""
                    + (at < lines.length ? lines[at] : "") + "\", expected \"index <decimal>\"");
        }
        long index;
        try {
            index = Long.parseLong(lines[at].substring(6));
        } catch (NumberFormatException e) {
            throw new ReceiptException("couldn't parse receipt: index " + lines[at].substring(6) + " is too large");
        }
        at++;
        List<Hash> proof = new ArrayList<>();
        for (; at < lines.length; at++) {
            try {
                proof.add(Hash.fromBase64(lines[at]));
            } catch (IllegalArgumentException e) {
                throw new ReceiptException("couldn't parse receipt: proof line " + (at + 1) + ": " + e.getMessage());
            }
        }
        return new Receipt(extra, index, proof, checkpoint);
    }

    /**
     * Verifies offline that {@code entry} is at {@link #index()} in the log whose verifier key is
     * {@code key}: the checkpoint's signature (C2SP signed-note), then the inclusion proof of
     * {@code SHA-256(0x00 || entry)} against its root (RFC 9162 §2.1.3.2).
     *
     * @return the checkpoint the entry is included in
     * @throws ReceiptException saying which part failed
     */
    public Checkpoint verify(byte[] entry, VerifierKey key) throws ReceiptException {
        Checkpoint cp;
        try {
            cp = Checkpoint.open(checkpoint, key);
        } catch (CheckpointException e) {
            throw new ReceiptException("couldn't verify receipt: " + e.getMessage(), e);
        }
        try {
            Proofs.verifyInclusion(index, cp.size(), Hasher.get().leaf(entry), proof, cp.root());
        } catch (ProofException e) {
            throw new ReceiptException("couldn't verify receipt for entry " + index + " of \"" + cp.origin()
                    + "\": " + e.getMessage(), e);
        }
        return cp;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Receipt r && index == r.index && proof.equals(r.proof) && checkpoint.equals(r.checkpoint)
                && extra.isPresent() == r.extra.isPresent()
                && (extra.isEmpty() || Arrays.equals(extra.get(), r.extra.get()));
    }

    @Override
    public int hashCode() {
        return Long.hashCode(index) * 31 + checkpoint.hashCode();
    }
}
