package dev.warden.event;

import dev.warden.principal.Principal;
import dev.warden.principal.Role;

import java.security.SecureRandom;
import java.util.List;
import java.util.regex.Pattern;

/** Input checks shared by commands; each failure is a {@link Rejection} naming the field. */
public final class Check {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");
    private static final Pattern PRINCIPAL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:-]{0,127}");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789".toCharArray();

    private Check() {
    }

    /** A required identifier: 1–128 of {@code [A-Za-z0-9._:-]}, starting alphanumeric. */
    public static String id(String field, String value) {
        if (value == null || !ID.matcher(value).matches()) {
            throw Rejection.invalid(field, field + " must be 1-128 characters of A-Z a-z 0-9 . _ : - "
                    + (value == null ? "(missing)" : "(got \"" + clip(value) + "\")"));
        }
        return value;
    }

    /** A principal id, as {@link Principal} allows it: 1–128 of {@code [A-Za-z0-9._@:-]}, starting alphanumeric. */
    public static String principal(String field, String value) {
        if (value == null || !PRINCIPAL.matcher(value).matches()) {
            throw Rejection.invalid(field, field + " must be 1-128 characters of A-Z a-z 0-9 . _ @ : - "
                    + (value == null ? "(missing)" : "(got \"" + clip(value) + "\")"));
        }
        return value;
    }

    /** Required text of at most {@code max} characters, without control characters other than newline and tab. */
    public static String text(String field, String value, int max) {
        if (value == null || value.isBlank()) {
            throw Rejection.invalid(field, field + " is required");
        }
        return optionalText(field, value, max);
    }

    /** As {@link #text} but may be null. */
    public static String optionalText(String field, String value, int max) {
        if (value == null) {
            return null;
        }
        if (value.length() > max) {
            throw Rejection.invalid(field, field + " has " + value.length() + " characters, at most " + max + " are allowed");
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            if (ch < 0x20 && ch != '\n' && ch != '\t') {
                throw Rejection.invalid(field, field + " holds a control character at position " + i);
            }
        }
        return value;
    }

    /** A list of at most {@code max} texts, each at most {@code maxEach} characters. */
    public static List<String> texts(String field, List<String> values, int max, int maxEach) {
        if (values == null) {
            return List.of();
        }
        if (values.size() > max) {
            throw Rejection.invalid(field, field + " has " + values.size() + " items, at most " + max + " are allowed");
        }
        for (int i = 0; i < values.size(); i++) {
            text(field + "[" + i + "]", values.get(i), maxEach);
        }
        return List.copyOf(values);
    }

    /** A value of a closed vocabulary, in its wire form. */
    public static <E extends Enum<E>> E wire(Class<E> type, String field, String value) {
        try {
            return Wire.parse(type, value);
        } catch (IllegalArgumentException e) {
            throw Rejection.invalid(field, field + ": " + e.getMessage());
        }
    }

    /** The principal holds one of {@code roles}. */
    public static void role(Principal by, Role... roles) {
        for (Role r : roles) {
            if (by.has(r)) {
                return;
            }
        }
        StringBuilder names = new StringBuilder();
        for (Role r : roles) {
            names.append(names.isEmpty() ? "" : " or ").append(r.wire());
        }
        throw Rejection.forbidden("\"" + by.id() + "\" needs the role " + names);
    }

    /** A new identifier: {@code prefix} and 12 random characters. */
    public static String newId(String prefix) {
        char[] out = new char[12];
        for (int i = 0; i < out.length; i++) {
            out[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return prefix + "-" + new String(out);
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }
}
