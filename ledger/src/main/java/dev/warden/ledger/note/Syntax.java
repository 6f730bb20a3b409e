package dev.warden.ledger.note;

import dev.warden.ledger.internal.Text;
import java.util.Base64;
import java.util.HexFormat;

/** Lexical rules shared by keys and notes. */
final class Syntax {
    private Syntax() {
    }

    /**
     * C2SP signed-note §Format: key names are non-empty and contain no Unicode spaces and no plus
     * (U+002B). We also refuse ASCII control characters and unpaired surrogates, which a note may
     * not contain anyway (so a key with such a name could never sign a valid note).
     */
    static boolean isValidName(String name) {
        if (name == null || name.isEmpty() || Text.firstForbidden(name) >= 0) {
            return false;
        }
        return name.codePoints().noneMatch(c -> c == '+' || isUnicodeSpace(c));
    }

    /**
     * Unicode spaces as Go's {@code unicode.IsSpace}, which the reference implementation uses:
     * the White_Space property (Zs, Zl, Zp, tab, newline, VT, FF, CR, NEL).
     */
    private static boolean isUnicodeSpace(int c) {
        return c == 0x85 || Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    /**
     * Standard base64 (RFC 4648 §4), in its one canonical form: padded, with zero trailing bits.
     * Returns null for anything else, so that decoding and encoding again gives back the input.
     */
    static byte[] decodeBase64(String s) {
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return Base64.getEncoder().encodeToString(decoded).equals(s) ? decoded : null;
    }

    /** A key ID as written in key texts: 8 lower-case hex digits. */
    static String hex(int keyId) {
        return HexFormat.of().toHexDigits(keyId);
    }

    /** Parses exactly 8 lower-case hex digits, or returns null. */
    static Integer parseHex(String s) {
        if (s.length() != 8) {
            return null;
        }
        for (int i = 0; i < 8; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return null;
            }
        }
        return (int) Long.parseLong(s, 16);
    }

    /** {@code "<name>+<hex key ID>"}, quoted: how messages name a key. */
    static String keyRef(String name, int keyId) {
        return Text.quote(name + "+" + hex(keyId));
    }
}
