package dev.warden.ledger.internal;

import java.util.HexFormat;

/** Text checks and the quoting of values in error messages, shared by the ledger's packages. */
public final class Text {
    private static final int QUOTE_LIMIT = 80;

    private Text() {
    }

    /**
     * C2SP signed-note §Format: a note is valid UTF-8 with no ASCII control character other than
     * newline. Returns the index of the first char that breaks that (a control character or an
     * unpaired surrogate, which has no UTF-8 encoding), or -1.
     */
    public static int firstForbidden(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\n') {
                return i;
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return i;
            }
            if (Character.isLowSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * Describes the char at {@code index}, found by {@link #firstForbidden}, for a message: for
     * example "a control character U+0009 at offset 3".
     */
    public static String describeForbidden(String s, int index) {
        char c = s.charAt(index);
        String what = Character.isSurrogate(c) ? "an unpaired surrogate" : "a control character";
        return what + " U+" + HexFormat.of().withUpperCase().toHexDigits(c) + " at offset " + index;
    }

    /**
     * Quotes a value for an error message: in double quotes, with quotes, backslashes and control
     * characters escaped, and cut after 80 chars so that a hostile input cannot flood the log.
     */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), QUOTE_LIMIT) + 8).append('"');
        int end = Math.min(s.length(), QUOTE_LIMIT);
        for (int i = 0; i < end; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                default -> {
                    boolean paired = Character.isHighSurrogate(c) && i + 1 < end
                            && Character.isLowSurrogate(s.charAt(i + 1))
                            || Character.isLowSurrogate(c) && i > 0
                            && Character.isHighSurrogate(s.charAt(i - 1));
                    if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !paired) {
                        b.append("\\u").append(HexFormat.of().toHexDigits(c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
        if (s.length() > QUOTE_LIMIT) {
            b.append("...");
        }
        return b.toString();
    }
}
