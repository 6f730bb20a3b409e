package dev.warden.usage;

import java.text.Normalizer;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Keeps customer content out of the usage store: Warden works from business records only and
 * never stores messages, phone numbers, e-mail addresses, transcripts or audio (README, "What
 * Warden never does"; DESIGN.md: "The importer rejects records that carry content-like fields").
 * A file with a column that looks like content is rejected whole, even if the column is
 * allowlisted: the export itself has to be fixed.
 *
 * <p>What is checked, and why there:
 * <ul>
 *   <li><b>Names, of every column</b> of the file, kept or dropped: after folding the name
 *   (Unicode NFKC, accents removed, Cyrillic and Greek look-alikes mapped to Latin, case and
 *   everything but letters and digits dropped, then also with digits read as letters, {@code 0}
 *   as {@code o} and so on), it must not contain a content word such as {@code transcri},
 *   {@code message}, {@code msg}, {@code body}, {@code phone}, {@code callee}, {@code sms},
 *   {@code recording}, {@code audio}, {@code email} or {@code subject} ({@link #STEMS}). So
 *   {@code x_MessageBody}, {@code x_TRANSCRIPT}, {@code x_msg_body}, {@code x_Trаnscript} with a
 *   Cyrillic {@code а} and {@code x_Ph0ne} are all caught. A name ending in a unit of measure
 *   ({@code x_MessageCount}, {@code x_AudioSeconds}, {@code x_PromptTokens}) is a quantity, a
 *   business record, and passes the name test; its values are still checked. No FOCUS column
 *   name contains a content word.</li>
 *   <li><b>Values, of the kept custom ({@code x_}) columns</b>, over every row, since they are
 *   stored; and <b>of the dropped text columns</b>, over the first {@value #SAMPLE_ROWS} rows
 *   only, since they are not stored and reading all of them would cost as much as importing
 *   them. A column is content-like if any checked value is, as a whole, a phone number or an
 *   e-mail address; if any value reads like a paragraph (at least 280 characters and 40
 *   spaces); or if its values read like free text: on average at least 40 characters and 5
 *   spaces, nearly all distinct (at least 90%), over at least 10 values. Descriptions that
 *   repeat per SKU, identifiers and JSON without spaces do not match.</li>
 *   <li><b>Not the values of FOCUS columns</b>: their meaning is fixed by the spec, and real
 *   exports legitimately carry e-mail addresses in them (a personal account named by its owner's
 *   address in BillingAccountName, an owner in Tags), so checking them would refuse ordinary
 *   files.</li>
 * </ul>
 * Explanations never repeat a value: it could be the very content being kept out.
 */
final class ContentGuard {
    /** Rows of a dropped column that are sampled. */
    static final int SAMPLE_ROWS = 10_000;

    /** Content words, folded (lower-case ASCII letters), matched anywhere in a folded name. */
    static final List<String> STEMS = List.of("transcri", "message", "msg", "body", "payload", "content", "recording",
            "audio", "voicemail", "utterance", "conversation", "chatlog", "subject", "sms", "phone", "msisdn", "imsi",
            "imei", "iccid", "callee", "caller", "dialed", "dialled", "email", "mailaddress", "attachment", "prompt",
            "geolocation", "latitude", "longitude");

    /** Folded names that contain a content word and mean something else. */
    private static final List<String> EXCEPTIONS = List.of("contentdelivery");

    /** Endings of a folded name that make it a quantity. */
    private static final List<String> MEASURES = List.of("count", "quantity", "qty", "tokens", "seconds", "minutes",
            "hours", "bytes", "size", "characters", "chars", "length", "units", "cost", "price", "duration");

    private static final Map<Character, Character> LOOK_ALIKES = lookAlikes();

    /** A whole value that is a phone number: E.164, or digits in groups with separators (RE2). */
    static final String PHONE = "(tel:)?(\\+[0-9]{7,15}|\\+?[0-9]{1,3}[ .-]?\\(?[0-9]{2,4}\\)?[ .-][0-9]{3,4}[ .-]?[0-9]{3,4}"
            + "|\\([0-9]{3}\\) ?[0-9]{3}-[0-9]{4})";
    /** A whole value that is an e-mail address (RE2). */
    static final String EMAIL = "(mailto:)?[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\\.[A-Za-z]{2,}";

    private ContentGuard() {
    }

    /** Why the column name looks like content, if it does. */
    static Optional<String> name(String column) {
        String plain = fold(column, false, 'i');
        for (String folded : List.of(plain, fold(column, true, 'i'), fold(column, true, 'l'))) {
            for (String stem : STEMS) {
                if (folded.contains(stem) && EXCEPTIONS.stream().noneMatch(folded::contains)
                        && MEASURES.stream().noneMatch(plain::endsWith)) {
                    return Optional.of("its name looks like content (\"" + stem + "\"): Warden keeps business records"
                            + " only, never messages, phone numbers, e-mail addresses, transcripts or recordings;"
                            + " remove the column from the export");
                }
            }
        }
        return Optional.empty();
    }

    /**
     * {@code name} in lower-case ASCII letters and digits: NFKC (full-width and mathematical
     * letters), accents dropped, Cyrillic and Greek look-alikes read as Latin; with {@code leet},
     * digits read as the letters they resemble ({@code one} as {@code i} or {@code l}).
     */
    static String fold(String name, boolean leet, char one) {
        String s = Normalizer.normalize(name, Normalizer.Form.NFKC);
        s = Normalizer.normalize(s, Normalizer.Form.NFD).replaceAll("\\p{M}+", "");
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char ch = Character.toLowerCase(LOOK_ALIKES.getOrDefault(s.charAt(i), s.charAt(i)));
            if (leet) {
                ch = switch (ch) {
                    case '0' -> 'o';
                    case '1' -> one;
                    case '3' -> 'e';
                    case '4', '@' -> 'a';
                    case '5', '$' -> 's';
                    case '7' -> 't';
                    default -> ch;
                };
            }
            if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
                out.append(ch);
            }
        }
        return out.toString();
    }

    /** The aggregates over {@code value} (VARCHAR SQL) that {@link #values} judges, in its order. */
    static List<String> aggregates(String value) {
        String spaces = "(length(" + value + ") - length(replace(" + value + ", ' ', '')))";
        return List.of(
                "count(" + value + ")",
                "count_if(regexp_full_match(" + value + ", " + FocusSource.literal(PHONE) + "))",
                "count_if(regexp_full_match(" + value + ", " + FocusSource.literal(EMAIL) + "))",
                "count_if(length(" + value + ") >= 280 AND " + spaces + " >= 40)",
                "coalesce(avg(length(" + value + ")), 0)",
                "coalesce(avg(" + spaces + "), 0)",
                "approx_count_distinct(" + value + ")");
    }

    /** Why the column's values look like content, if they do, from the {@link #aggregates}. */
    static Optional<String> values(double[] a) {
        double n = a[0];
        String why = null;
        if (a[1] > 0) {
            why = (long) a[1] + " of " + (long) n + " checked values are phone numbers";
        } else if (a[2] > 0) {
            why = (long) a[2] + " of " + (long) n + " checked values are e-mail addresses";
        } else if (a[3] > 0) {
            why = (long) a[3] + " of " + (long) n + " checked values read like paragraphs of text";
        } else if (n >= 10 && a[4] >= 40 && a[5] >= 5 && a[6] >= 0.9 * n) {
            why = "its values read like free text (" + Math.round(a[4]) + " characters on average, nearly all different)";
        }
        return Optional.ofNullable(why).map(w -> "its values look like content: " + w + "; Warden keeps business"
                + " records only, never messages, phone numbers, e-mail addresses or transcripts; remove the column"
                + " from the export");
    }

    private static Map<Character, Character> lookAlikes() {
        // Pairs: a Cyrillic or Greek letter (or a letter-like symbol), then the Latin letter it passes for.
        String pairs = "аaАaвbВbеeЕeкkКkмmМmнhНhоoОoрpРpсcСcтtТtуyУyхxХxѕsЅsіiІiјjЈjԁdɡgӏlαaΑaβbΒbεeΕeζzΖzηnΗhιiΙiκkΚkμuΜmνvΝnοoΟoρpΡpτtΤtυuΥyχxΧxıiℓl";
        Map<Character, Character> m = new java.util.HashMap<>();
        for (int i = 0; i < pairs.length(); i += 2) {
            m.put(pairs.charAt(i), pairs.charAt(i + 1));
        }
        return Map.copyOf(m);
    }
}
