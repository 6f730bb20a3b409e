package dev.warden.event;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The JSON Canonicalization Scheme (JCS, RFC 8785) over Jackson trees: the one byte sequence an
 * event is hashed and signed as, whatever order or spacing it arrived in.
 *
 * <p>{@link #encode} writes a tree in canonical form:
 * <ul>
 *   <li>no whitespace between tokens (§3.2.1);
 *   <li>{@code null}, {@code true} and {@code false} as those literals (§3.2.2.1);
 *   <li>strings (property names included) as ECMAScript's {@code JSON.stringify} writes them
 *       (§3.2.2.2): {@code \"} and {@code \\}; {@code \b}, {@code \t}, {@code \n}, {@code \f} and
 *       {@code \r}; the other code points below U+0020 as <code>&#92;u00hh</code> with lowercase
 *       hex; every other code point as itself, U+007F and non-ASCII included, with no
 *       {@code \/}. A lone surrogate is an error (§3.2.2.2, note);
 *   <li>numbers as ECMAScript's Number::toString writes the IEEE 754 double they denote
 *       (§3.2.2.3, ECMA-262 §7.1.12.1 with its "Note 2": the shortest decimal that reads back as
 *       the same double, the closest to it if several, the even one if two). Integers come out in
 *       plain decimal, {@code 4.50} as {@code 4.5}, {@code 1e-7} as {@code 1e-7}, {@code -0} as
 *       {@code 0}. NaN and the infinities are errors (§3.2.2.3, note);
 *   <li>object members sorted by name, compared as arrays of unsigned UTF-16 code units (§3.2.3),
 *       which is {@link String#compareTo}; at every depth, array order kept (§3.2.3);
 *   <li>the whole text as UTF-8 (§3.2.4).
 * </ul>
 *
 * <p>The input must be I-JSON (§3.1, RFC 7493), and Warden narrows it further:
 * <ul>
 *   <li><b>No number beyond ±2<sup>53</sup> (9007199254740992)</b>, whether written as an integer
 *       or not. §3.1 requires numbers to be IEEE 754 doubles, and past 2<sup>53</sup> a double no
 *       longer holds every integer, so a large identifier would silently change; such values
 *       belong in strings (§3.1, Appendix D), as Warden's events carry them. The rule covers
 *       non-integers too because every double that large is an integer, and ECMAScript writes
 *       those below 10<sup>21</sup> in plain digits: {@code 1e20} canonicalizes to
 *       {@code 100000000000000000000}, which would then be refused as an integer, so canonical
 *       text would not read back. Within the bound every number is encoded exactly as RFC 8785
 *       says; fractions are supported in full, though Warden's events carry quantities as strings.
 *   <li>No nesting deeper than {@value #MAX_DEPTH} arrays and objects.
 * </ul>
 * Binary, POJO and missing nodes have no JSON form and are refused. A {@code BigDecimal} node
 * stands for the double nearest to it, as §3.1 and §3.2.2.3 treat every JSON number.
 *
 * <p>{@link #parse} reads untrusted bytes strictly: well-formed UTF-8 with no byte order mark
 * (RFC 8259 §8.1), one JSON value and nothing after it but whitespace, no duplicate member names
 * (§3.1), no NaN or Infinity, no lone surrogate (§3.2.2.2), a size limit, and the two rules above.
 * A number with a fraction or an exponent is read as the nearest double, so {@code 4.50} and
 * {@code 4.5} are one value (§3.2.2). What it returns {@link #encode} always accepts, and, size
 * limit permitting, {@code parse(encode(t))} encodes to the same bytes as {@code t}.
 *
 * <p>Every failure is a {@link CanonicalJsonException}. Stateless and thread-safe.
 */
public final class CanonicalJson {
    /** The deepest nesting of arrays and objects accepted: a value inside 64 of them is fine, 65 is not. */
    public static final int MAX_DEPTH = 64;

    /** The input size limit of {@link #parse(byte[])}: 1 MiB. */
    public static final int DEFAULT_MAX_BYTES = 1 << 20;

    /** 2<sup>53</sup>: the largest magnitude of a number accepted (see the class comment). */
    public static final long MAX_MAGNITUDE = 1L << 53;

    private static final JsonFactory FACTORY = JsonFactory.builder()
            // I-JSON, RFC 8785 §3.1: no duplicate member names
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // JSON has no NaN or Infinity, RFC 8785 §3.2.2.3 (already Jackson's default)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private CanonicalJson() {
    }

    /**
     * The canonical form of {@code node} (RFC 8785 §3.2), as UTF-8 bytes (§3.2.4).
     *
     * @throws CanonicalJsonException naming what is wrong, and where as a JSON Pointer
     */
    public static byte[] encode(JsonNode node) {
        // Every surrogate has been checked to be paired, so UTF-8 encoding is lossless.
        return encodeToString(node).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The canonical form of {@code node} (RFC 8785 §3.2), as a string.
     *
     * @throws CanonicalJsonException naming what is wrong, and where as a JSON Pointer
     */
    public static String encodeToString(JsonNode node) {
        Objects.requireNonNull(node, "node");
        Encoder encoder = new Encoder();
        encoder.value(node, 0);
        return encoder.out.toString();
    }

    /** {@link #parse(byte[], int)} with a limit of {@link #DEFAULT_MAX_BYTES}. */
    public static JsonNode parse(byte[] json) {
        return parse(json, DEFAULT_MAX_BYTES);
    }

    /**
     * Parses one JSON value from UTF-8 {@code json} of at most {@code maxBytes} bytes, strictly
     * (see the class comment). Numbers come back as int, long or double nodes, objects with
     * their members in input order.
     *
     * @throws CanonicalJsonException naming what is wrong, and the line and column where
     */
    public static JsonNode parse(byte[] json, int maxBytes) {
        Objects.requireNonNull(json, "json");
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes is negative: " + maxBytes);
        }
        if (json.length > maxBytes) {
            throw new CanonicalJsonException("the JSON text is " + json.length + " bytes, over the limit of " + maxBytes);
        }
        String text = decodeUtf8(json);
        if (text.startsWith("\uFEFF")) {
            throw new CanonicalJsonException("the JSON text starts with a byte order mark (RFC 8259 §8.1 forbids it)");
        }
        try (JsonParser parser = FACTORY.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first == null) {
                throw new CanonicalJsonException("the JSON text has no value: it is empty or only whitespace");
            }
            JsonNode root = read(parser, first, 0);
            JsonToken after;
            try {
                after = parser.nextToken();
            } catch (StreamReadException e) {
                throw new CanonicalJsonException("trailing content after the JSON value" + at(e.getLocation())
                        + ": " + e.getOriginalMessage(), e);
            }
            if (after != null) {
                throw new CanonicalJsonException("trailing content after the JSON value" + at(parser.currentTokenLocation())
                        + ": " + describe(after) + ", where only whitespace may follow");
            }
            return root;
        } catch (StreamReadException e) {
            throw new CanonicalJsonException("invalid JSON" + at(e.getLocation()) + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("couldn't read JSON from memory", e);
        }
    }

    /**
     * Strict UTF-8: no overlong forms, no encoded surrogates. (Jackson's own byte parser would also
     * take UTF-16 and UTF-32, guessed from the first bytes.)
     */
    private static String decodeUtf8(byte[] json) {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(json);
        CharBuffer out = CharBuffer.allocate(json.length);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            throw new CanonicalJsonException("the JSON text is not well-formed UTF-8: byte offset " + in.position()
                    + " starts an invalid sequence of " + result.length() + " byte(s)");
        }
        return out.flip().toString();
    }

    private static JsonNode read(JsonParser parser, JsonToken token, int depth) throws IOException {
        if (token == null) {
            throw new CanonicalJsonException("the JSON text ends inside a value" + at(parser.currentLocation()));
        }
        switch (token) {
            case START_OBJECT -> {
                checkDepth(parser, depth + 1);
                ObjectNode object = NODES.objectNode();
                JsonToken next;
                while ((next = parser.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = parser.currentName();
                    checkSurrogates(name, "member name", parser);
                    object.set(name, read(parser, parser.nextToken(), depth + 1));
                }
                expect(parser, next, JsonToken.END_OBJECT);
                return object;
            }
            case START_ARRAY -> {
                checkDepth(parser, depth + 1);
                ArrayNode array = NODES.arrayNode();
                JsonToken next;
                while ((next = parser.nextToken()) != JsonToken.END_ARRAY) {
                    array.add(read(parser, next, depth + 1));
                }
                return array;
            }
            case VALUE_STRING -> {
                String text = parser.getText();
                checkSurrogates(text, "string", parser);
                return NODES.textNode(text);
            }
            case VALUE_NUMBER_INT -> {
                if (parser.getNumberType() == JsonParser.NumberType.INT) {
                    return NODES.numberNode(parser.getIntValue());
                }
                if (parser.getNumberType() == JsonParser.NumberType.LONG) {
                    long value = parser.getLongValue();
                    if (value <= MAX_MAGNITUDE && value >= -MAX_MAGNITUDE) {
                        return NODES.numberNode(value);
                    }
                }
                throw tooLarge("integer " + abbreviate(parser.getText()) + at(parser.currentTokenLocation()));
            }
            case VALUE_NUMBER_FLOAT -> {
                double value = parser.getDoubleValue();
                if (!Double.isFinite(value)) {
                    throw new CanonicalJsonException("number " + abbreviate(parser.getText()) + at(parser.currentTokenLocation())
                            + " is beyond the range of IEEE 754 doubles (RFC 8785 §3.1)");
                }
                if (Math.abs(value) > MAX_MAGNITUDE) {
                    throw tooLarge("number " + abbreviate(parser.getText()) + at(parser.currentTokenLocation()));
                }
                return NODES.numberNode(value);
            }
            case VALUE_TRUE -> {
                return NODES.booleanNode(true);
            }
            case VALUE_FALSE -> {
                return NODES.booleanNode(false);
            }
            case VALUE_NULL -> {
                return NODES.nullNode();
            }
            default -> throw new CanonicalJsonException("unexpected " + describe(token) + at(parser.currentTokenLocation()));
        }
    }

    private static void expect(JsonParser parser, JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new CanonicalJsonException("expected " + describe(expected) + " but found "
                    + (actual == null ? "the end of the text" : describe(actual)) + at(parser.currentLocation()));
        }
    }

    private static String describe(JsonToken token) {
        return switch (token) {
            case START_OBJECT, END_OBJECT, START_ARRAY, END_ARRAY -> "'" + token.asString() + "'";
            case FIELD_NAME -> "a member name";
            case VALUE_STRING -> "a string";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE, VALUE_NULL -> token.asString();
            default -> token.name();
        };
    }

    private static void checkDepth(JsonParser parser, int depth) {
        if (depth > MAX_DEPTH) {
            throw new CanonicalJsonException("arrays and objects nest deeper than " + MAX_DEPTH
                    + at(parser.currentTokenLocation()));
        }
    }

    private static void checkSurrogates(String s, String what, JsonParser parser) {
        int bad = loneSurrogate(s);
        if (bad >= 0) {
            throw new CanonicalJsonException(what + at(parser.currentTokenLocation()) + " has a lone surrogate "
                    + codePoint(s.charAt(bad)) + " at character " + bad + " (RFC 8785 §3.2.2.2)");
        }
    }

    /** The index of the first unpaired surrogate in {@code s}, or -1. */
    private static int loneSurrogate(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return i;
            }
        }
        return -1;
    }

    private static CanonicalJsonException tooLarge(String what) {
        return new CanonicalJsonException(what + " is beyond ±2^53 (" + MAX_MAGNITUDE
                + "), past which IEEE 754 doubles do not hold every integer (RFC 8785 §3.1); write it as a string");
    }

    private static String at(JsonLocation location) {
        if (location == null || location.getLineNr() < 1) {
            return "";
        }
        return " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    }

    private static String abbreviate(String text) {
        return text.length() <= 40 ? text : text.substring(0, 20) + "..." + text.substring(text.length() - 10)
                + " (" + text.length() + " characters)";
    }

    private static String codePoint(char c) {
        return String.format("U+%04X", (int) c);
    }

    /**
     * ECMAScript's Number::toString of {@code value} (ECMA-262 §7.1.12.1 with its "Note 2"; RFC
     * 8785 §3.2.2.3), for every finite double, whatever its magnitude.
     */
    static String formatNumber(double value) {
        if (!Double.isFinite(value)) {
            throw new CanonicalJsonException(value + " is not a JSON number (RFC 8785 §3.2.2.3)");
        }
        if (value == 0) {
            return "0"; // -0 too
        }
        if (value < 0) {
            return "-" + formatNumber(-value);
        }
        BigDecimal shortest = shortestDecimal(value);
        // value = s × 10^(n-k), s having k digits (ECMA-262 §7.1.12.1 step 5)
        String s = shortest.unscaledValue().toString();
        int k = s.length();
        int n = k - shortest.scale();
        StringBuilder out = new StringBuilder(k + 8);
        if (k <= n && n <= 21) {
            out.append(s).append("0".repeat(n - k));
        } else if (0 < n && n <= 21) {
            out.append(s, 0, n).append('.').append(s, n, k);
        } else if (-6 < n && n <= 0) {
            out.append("0.").append("0".repeat(-n)).append(s);
        } else {
            out.append(s.charAt(0));
            if (k > 1) {
                out.append('.').append(s, 1, k);
            }
            out.append('e').append(n - 1 < 0 ? '-' : '+').append(Math.abs(n - 1));
        }
        return out.toString();
    }

    /**
     * The decimal with the fewest significant digits that reads back as {@code value} (positive,
     * finite); of several, the one closest to {@code value}; of two equally close, the one with
     * an even last digit. For each length k, the candidates are the k-digit decimals just below
     * and just above the exact value of {@code value}: the doubles' rounding interval is an
     * interval around it, so if any k-digit decimal falls in it, one of these two does.
     */
    private static BigDecimal shortestDecimal(double value) {
        BigDecimal exact = new BigDecimal(value);
        for (int k = 1; ; k++) {
            BigDecimal below = exact.round(new MathContext(k, RoundingMode.FLOOR));
            BigDecimal above = exact.round(new MathContext(k, RoundingMode.CEILING));
            boolean belowReadsBack = Double.parseDouble(below.toString()) == value;
            boolean aboveReadsBack = Double.parseDouble(above.toString()) == value;
            if (belowReadsBack && aboveReadsBack) {
                int closer = exact.subtract(below).compareTo(above.subtract(exact));
                if (closer == 0) {
                    return (evenLastDigit(below, k) ? below : above).stripTrailingZeros();
                }
                return (closer < 0 ? below : above).stripTrailingZeros();
            }
            if (belowReadsBack) {
                return below.stripTrailingZeros();
            }
            if (aboveReadsBack) {
                return above.stripTrailingZeros();
            }
            // 17 significant digits always read back, so the loop ends by k = 17.
        }
    }

    /** Whether the k-digit significand of {@code d} (precision at most k) is even. */
    private static boolean evenLastDigit(BigDecimal d, int k) {
        return d.precision() < k || !d.unscaledValue().testBit(0);
    }

    /** Writes one tree; keeps the path to the value being written, for error messages. */
    private static final class Encoder {
        final StringBuilder out = new StringBuilder(256);
        private final Deque<Object> path = new ArrayDeque<>();

        void value(JsonNode node, int depth) {
            switch (node.getNodeType()) {
                case OBJECT -> {
                    checkDepth(depth + 1);
                    List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
                    // RFC 8785 §3.2.3: names compared as arrays of unsigned UTF-16 code units,
                    // which is String's natural order
                    members.sort(Map.Entry.comparingByKey());
                    out.append('{');
                    boolean first = true;
                    for (Map.Entry<String, JsonNode> member : members) {
                        if (!first) {
                            out.append(',');
                        }
                        first = false;
                        string(member.getKey(), "a member name");
                        out.append(':');
                        path.addLast(member.getKey());
                        value(member.getValue(), depth + 1);
                        path.removeLast();
                    }
                    out.append('}');
                }
                case ARRAY -> {
                    checkDepth(depth + 1);
                    out.append('[');
                    for (int i = 0; i < node.size(); i++) {
                        if (i > 0) {
                            out.append(',');
                        }
                        path.addLast(i);
                        value(node.get(i), depth + 1);
                        path.removeLast();
                    }
                    out.append(']');
                }
                case STRING -> string(node.textValue(), "the string");
                case NUMBER -> number(node);
                case BOOLEAN -> out.append(node.booleanValue() ? "true" : "false");
                case NULL -> out.append("null");
                case BINARY -> throw error("a binary node has no JSON form; encode the bytes as a base64 string first");
                case POJO -> throw error("a POJO node has no defined JSON form; convert it to a tree first");
                case MISSING -> throw error("a missing node is no JSON value");
                default -> throw error("a " + node.getNodeType() + " node has no JSON form");
            }
        }

        private void checkDepth(int depth) {
            if (depth > MAX_DEPTH) {
                throw error("arrays and objects nest deeper than " + MAX_DEPTH);
            }
        }

        private void number(JsonNode node) {
            if (node.isIntegralNumber()) {
                // RFC 8785 §3.2.2.3: an integer within ±2^53 is a double that Number::toString
                // writes in plain decimal
                if (node.canConvertToLong()) {
                    long value = node.longValue();
                    if (value <= MAX_MAGNITUDE && value >= -MAX_MAGNITUDE) {
                        out.append(value);
                        return;
                    }
                }
                throw error(tooLarge("integer " + abbreviate(node.bigIntegerValue().toString())).getMessage());
            }
            double value = node.isBigDecimal()
                    ? Double.parseDouble(node.decimalValue().toString()) // correctly rounded
                    : node.doubleValue();
            if (!Double.isFinite(value)) {
                throw error(node.isBigDecimal()
                        ? "number " + abbreviate(node.decimalValue().toString())
                                + " is beyond the range of IEEE 754 doubles (RFC 8785 §3.1)"
                        : "number " + value + " is not allowed: JSON has no NaN or infinities (RFC 8785 §3.2.2.3)");
            }
            if (Math.abs(value) > MAX_MAGNITUDE) {
                throw error(tooLarge("number " + formatNumber(value)).getMessage());
            }
            out.append(formatNumber(value));
        }

        /** RFC 8785 §3.2.2.2, as ECMAScript's JSON.stringify (ECMA-262 QuoteJSONString). */
        private void string(String s, String what) {
            out.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> out.append("\\\"");
                    case '\\' -> out.append("\\\\");
                    case '\b' -> out.append("\\b");
                    case '\t' -> out.append("\\t");
                    case '\n' -> out.append("\\n");
                    case '\f' -> out.append("\\f");
                    case '\r' -> out.append("\\r");
                    default -> {
                        if (c < 0x20) {
                            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xF]);
                        } else if (Character.isHighSurrogate(c) && i + 1 < s.length()
                                && Character.isLowSurrogate(s.charAt(i + 1))) {
                            out.append(c).append(s.charAt(++i));
                        } else if (Character.isSurrogate(c)) {
                            throw error(what + " has a lone surrogate " + codePoint(c) + " at character " + i
                                    + " (RFC 8785 §3.2.2.2)");
                        } else {
                            out.append(c);
                        }
                    }
                }
            }
            out.append('"');
        }

        private CanonicalJsonException error(String message) {
            return new CanonicalJsonException("at " + pointer() + ": " + message);
        }

        /** The RFC 6901 JSON Pointer to the value being written; "" (quoted) for the root. */
        private String pointer() {
            StringBuilder p = new StringBuilder();
            for (Iterator<Object> it = path.iterator(); it.hasNext(); ) {
                Object step = it.next();
                p.append('/').append(step instanceof String name ? name.replace("~", "~0").replace("/", "~1") : step);
            }
            return p.isEmpty() ? "the root" : "\"" + p + "\"";
        }
    }
}
