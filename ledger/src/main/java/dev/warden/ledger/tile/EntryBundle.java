package dev.warden.ledger.tile;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * C2SP tlog-tiles §Entry bundles: each entry is a big-endian uint16 length followed by that many
 * bytes, so an entry holds at most 65,535 bytes.
 */
public final class EntryBundle {
    /** The largest entry a bundle can carry. */
    public static final int MAX_ENTRY = 0xFFFF;

    private EntryBundle() {
    }

    /** Appends one framed entry to {@code out}. Requires {@code entry.length <= 65535}. */
    public static void append(ByteArrayOutputStream out, byte[] entry) {
        checkSize(entry);
        out.write(entry.length >>> 8);
        out.write(entry.length & 0xFF);
        out.write(entry, 0, entry.length);
    }

    public static byte[] encode(List<byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] e : entries) {
            append(out, e);
        }
        return out.toByteArray();
    }

    /**
     * Splits a bundle into its entries and returns the first {@code count}. A bundle stored for a
     * larger tree may hold more entries than asked for; one holding fewer, or ending inside an
     * entry, is rejected.
     *
     * @throws IllegalArgumentException if the framing is broken
     */
    public static List<byte[]> decode(byte[] bundle, int count) {
        List<byte[]> entries = new ArrayList<>(count);
        int at = 0;
        while (entries.size() < count) {
            if (at + 2 > bundle.length) {
                throw new IllegalArgumentException("entry bundle holds " + entries.size()
                        + " entries, expected " + count);
            }
            int len = ((bundle[at] & 0xFF) << 8) | (bundle[at + 1] & 0xFF);
            at += 2;
            if (at + len > bundle.length) {
                throw new IllegalArgumentException("entry " + entries.size() + " of the bundle claims "
                        + len + " bytes, only " + (bundle.length - at) + " remain");
            }
            entries.add(java.util.Arrays.copyOfRange(bundle, at, at + len));
            at += len;
        }
        return entries;
    }

    /**
     * The byte length of the first {@code count} framed entries, so that a partial bundle can be
     * served as a prefix of a stored one.
     */
    public static int prefixLength(byte[] bundle, int count) {
        int at = 0;
        for (int i = 0; i < count; i++) {
            if (at + 2 > bundle.length) {
                throw new IllegalArgumentException("entry bundle holds " + i + " entries, expected " + count);
            }
            at += 2 + (((bundle[at] & 0xFF) << 8) | (bundle[at + 1] & 0xFF));
            if (at > bundle.length) {
                throw new IllegalArgumentException("entry " + i + " of the bundle runs past its end");
            }
        }
        return at;
    }

    static void checkSize(byte[] entry) {
        if (entry.length > MAX_ENTRY) {
            throw new IllegalArgumentException("an entry holds at most " + MAX_ENTRY + " bytes, not " + entry.length);
        }
    }
}
