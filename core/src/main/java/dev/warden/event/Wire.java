package dev.warden.event;

import java.util.Locale;

/** How enumerations are written in JSON: lower case with hyphens ({@code TRUSTED_FLAGGER} is {@code trusted-flagger}). */
public final class Wire {
    private Wire() {
    }

    public static String name(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * The constant of {@code type} written as {@code wire}.
     *
     * @throws IllegalArgumentException naming the allowed values
     */
    public static <E extends Enum<E>> E parse(Class<E> type, String wire) {
        for (E e : type.getEnumConstants()) {
            if (name(e).equals(wire)) {
                return e;
            }
        }
        StringBuilder allowed = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            allowed.append(allowed.isEmpty() ? "" : ", ").append(name(e));
        }
        throw new IllegalArgumentException("\"" + wire + "\" is not one of: " + allowed);
    }
}
