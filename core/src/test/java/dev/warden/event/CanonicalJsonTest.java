package dev.warden.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * RFC 8785 canonical JSON: the RFC's own examples, ECMAScript number formatting checked against
 * V8's output and the JDK's, random trees in random key order, and every input refused.
 *
 * <p>Java turns a backslash-u escape into its character before compiling, even inside string
 * literals, so JSON escapes here are written with a doubled backslash: {@code "\\u20ac"} is the
 * six characters of a JSON escape, a single backslash is the character itself.
 */
class CanonicalJsonTest {
    /** Random inputs are new on every run unless {@code -Dwarden.test.seed=N} fixes them; failures quote the seed. */
    private static final long SEED = Long.getLong("warden.test.seed", new SplittableRandom().nextLong());
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private static String seedNote(String format, Object... args) {
        return "[seed " + SEED + ", replay with -Dwarden.test.seed=" + SEED + "] " + String.format(format, args);
    }

    private static JsonNode parse(String json) {
        return CanonicalJson.parse(json.getBytes(UTF_8));
    }

    private static String canonical(String json) {
        return CanonicalJson.encodeToString(parse(json));
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    // ---- RFC 8785 examples -----------------------------------------------------------------

    /** RFC 8785 §3.2.2: the sample object, as printed there (JSON escapes doubled for Java). */
    private static final String RFC_SAMPLE = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50,
                          2e-3, 0.000000000000000000000000001],
              "string": "\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\"\\/",
              "literals": [null, true, false]
            }
            """;

    /** RFC 8785 §3.2.4: the canonical bytes of that sample. */
    private static final String RFC_SAMPLE_CANONICAL_HEX = """
            7b 22 6c 69 74 65 72 61 6c 73 22 3a 5b 6e 75 6c 6c 2c 74 72
            75 65 2c 66 61 6c 73 65 5d 2c 22 6e 75 6d 62 65 72 73 22 3a
            5b 33 33 33 33 33 33 33 33 33 2e 33 33 33 33 33 33 33 2c 31
            65 2b 33 30 2c 34 2e 35 2c 30 2e 30 30 32 2c 31 65 2d 32 37
            5d 2c 22 73 74 72 69 6e 67 22 3a 22 e2 82 ac 24 5c 75 30 30
            30 66 5c 6e 41 27 42 5c 22 5c 5c 5c 5c 5c 22 2f 22 7d
            """.replaceAll("\\s+", "");

    @Test
    void encode_rfc8785Section324Sample_matchesTheRfcBytesExceptFor1E30_whichIsAbove2To53() {
        // Warden refuses 1E30 (above 2^53); everything else in the sample comes out as the RFC prints it,
        // and 1E30 on its own formats as the RFC says.
        String withoutBigNumber = RFC_SAMPLE.replace(" 1E30,", "");
        String rfcBytesWithoutBigNumber = RFC_SAMPLE_CANONICAL_HEX.replace(hex("1e+30,".getBytes(UTF_8)), "");

        assertThat(hex(CanonicalJson.encode(parse(withoutBigNumber)))).isEqualTo(rfcBytesWithoutBigNumber);
        assertThat(CanonicalJson.encodeToString(parse(withoutBigNumber))).isEqualTo(
                "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,4.5,0.002,1e-27],"
                        + "\"string\":\"€$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
        assertThat(CanonicalJson.formatNumber(1E30)).isEqualTo("1e+30");
        assertThatThrownBy(() -> parse(RFC_SAMPLE))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("number 1E30 at line 2, column 35 is beyond ±2^53");
    }

    @Test
    void encode_rfc8785Section323SortingSample_ordersNamesByUtf16CodeUnits() {
        String sample = """
                {
                  "\\u20ac": "Euro Sign",
                  "\\r": "Carriage Return",
                  "\\ufb33": "Hebrew Letter Dalet With Dagesh",
                  "1": "One",
                  "\\ud83d\\ude00": "Emoji: Grinning Face",
                  "\\u0080": "Control",
                  "\\u00f6": "Latin Small Letter O With Diaeresis"
                }
                """;

        String canonical = canonical(sample);

        // the RFC's "expected argument order after sorting property strings"
        List<String> values = new ArrayList<>();
        parse(canonical).properties().forEach(member -> values.add(member.getValue().textValue()));
        assertThat(values).containsExactly("Carriage Return", "One", "Control", "Latin Small Letter O With Diaeresis",
                "Euro Sign", "Emoji: Grinning Face", "Hebrew Letter Dalet With Dagesh");
        // U+1F600 is D83D DE00 in UTF-16, so it sorts before U+FB33, though after it by code point
        assertThat(canonical).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    /** RFC 8785 Appendix B, Table 1: the finite samples. */
    @ParameterizedTest
    @ValueSource(strings = {
            "0000000000000000 0",
            "8000000000000000 0",
            "0000000000000001 5e-324",
            "8000000000000001 -5e-324",
            "7fefffffffffffff 1.7976931348623157e+308",
            "ffefffffffffffff -1.7976931348623157e+308",
            "4340000000000000 9007199254740992",
            "c340000000000000 -9007199254740992",
            "4430000000000000 295147905179352830000",
            "44b52d02c7e14af5 9.999999999999997e+22",
            "44b52d02c7e14af6 1e+23",
            "44b52d02c7e14af7 1.0000000000000001e+23",
            "444b1ae4d6e2ef4e 999999999999999700000",
            "444b1ae4d6e2ef4f 999999999999999900000",
            "444b1ae4d6e2ef50 1e+21",
            "3eb0c6f7a0b5ed8c 9.999999999999997e-7",
            "3eb0c6f7a0b5ed8d 0.000001",
            "41b3de4355555553 333333333.3333332",
            "41b3de4355555554 333333333.33333325",
            "41b3de4355555555 333333333.3333333",
            "41b3de4355555556 333333333.3333334",
            "41b3de4355555557 333333333.33333343",
            "becbf647612f3696 -0.0000033333333333333333",
            "43143ff3c1cb0959 1424953923781206.2",
    })
    void formatNumber_rfc8785AppendixBSample_matchesTheRfc(String sample) {
        String[] bitsAndText = sample.split(" ");
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(bitsAndText[0], 16));

        assertThat(CanonicalJson.formatNumber(value)).isEqualTo(bitsAndText[1]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"7fffffffffffffff", "7ff0000000000000", "fff0000000000000", "7ff8000000000000"})
    void formatNumber_rfc8785AppendixBNaNOrInfinity_throws(String bits) {
        double value = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));

        assertThatThrownBy(() -> CanonicalJson.formatNumber(value))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining("is not a JSON number (RFC 8785 §3.2.2.3)");
    }

    // ---- numbers beyond the RFC's samples ---------------------------------------------------

    @Test
    void formatNumber_doublesV8Formatted_matchesV8Exactly() throws IOException {
        List<String> lines;
        try (InputStream in = CanonicalJsonTest.class.getResourceAsStream("ecmascript-numbers.txt")) {
            assertThat(in).as("ecmascript-numbers.txt on the test class path").isNotNull();
            lines = new String(in.readAllBytes(), UTF_8).lines().filter(l -> !l.startsWith("#") && !l.isBlank()).toList();
        }
        assertThat(lines).hasSizeGreaterThan(1000);
        for (String line : lines) {
            String[] bitsAndText = line.split(" ");
            double value = Double.longBitsToDouble(Long.parseUnsignedLong(bitsAndText[0], 16));
            assertThat(CanonicalJson.formatNumber(value)).as("bits %s", bitsAndText[0]).isEqualTo(bitsAndText[1]);
        }
    }

    /**
     * An independent check on random doubles: the JDK's Double.toString (JDK 19 and later) picks the
     * same shortest, closest decimal whenever that has two digits or more; with one, it may pad to two.
     */
    @Test
    void formatNumber_randomDoubles_readBackExactlyAndAgreeWithTheJdksShortestDecimal() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int i = 0; i < 10_000; i++) {
            double value = Double.longBitsToDouble(random.nextLong());
            if (!Double.isFinite(value)) {
                continue;
            }
            String ours = CanonicalJson.formatNumber(value);
            BigDecimal oursDecimal = new BigDecimal(ours);
            BigDecimal jdks = new BigDecimal(Double.toString(value)).stripTrailingZeros();

            assertThat(Double.parseDouble(ours)).as(seedNote("%s reads back", ours)).isEqualTo(value);
            assertThat(ours).as(seedNote("%s is in ECMAScript's form", ours)).matches("-?(0|[1-9][0-9]*)(\\.[0-9]*[1-9])?(e[+-][1-9][0-9]*)?");
            if (oursDecimal.stripTrailingZeros().precision() >= 2 || value == 0) {
                assertThat(oursDecimal.compareTo(jdks)).as(seedNote("%s against the JDK's %s", ours, jdks)).isZero();
            } else {
                assertThat(jdks.precision()).as(seedNote("%s against the JDK's %s", ours, jdks)).isLessThanOrEqualTo(2);
            }
        }
    }

    @Test
    void encode_numbers_asEcmaScriptWritesThem() {
        assertThat(canonical("[0, -0, -0.0, 0.0, 5.0, 4.50, 2e-3, 1e-7, 1E-6, 100, -17, 1.5e3, 333333333.33333329]"))
                .isEqualTo("[0,0,0,0,5,4.5,0.002,1e-7,0.000001,100,-17,1500,333333333.3333333]");
        ArrayNode nodes = NODES.arrayNode()
                .add(NODES.numberNode((short) 7))
                .add(NODES.numberNode(-0.0))
                .add(NODES.numberNode(0.1f))
                .add(NODES.numberNode(new BigDecimal("4.50")))
                .add(NODES.numberNode(new BigDecimal("0.1000000000000000000000000001")))
                .add(NODES.numberNode(BigInteger.valueOf(-42)))
                .add(NODES.numberNode(9007199254740992L))
                .add(NODES.numberNode(-9007199254740992L))
                .add(NODES.numberNode(9007199254740992.0));
        assertThat(CanonicalJson.encodeToString(nodes))
                .isEqualTo("[7,0,0.10000000149011612,4.5,0.1,-42,9007199254740992,-9007199254740992,9007199254740992]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"9007199254740993", "-9007199254740993", "9223372036854775807", "18446744073709551616",
            "1E30", "1e20", "-9007199254740994.0", "9.1e15"})
    void parse_numberAbove2To53_throwsNamingTheNumberAndWhere(String number) {
        assertThatThrownBy(() -> parse("{\"id\": " + number + "}"))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageContaining(number + " at line 1, column 8 is beyond ±2^53 (9007199254740992)")
                .hasMessageContaining("write it as a string");
    }

    @Test
    void parse_numbersAt2To53_accepted_andFractionsRoundToTheNearestDouble() {
        assertThat(canonical("[9007199254740992, -9007199254740992, 9007199254740992.0, 9007199254740993.0]"))
                .isEqualTo("[9007199254740992,-9007199254740992,9007199254740992,9007199254740992]");
    }

    @Test
    void encode_numberAbove2To53_throwsWithItsPath() {
        assertThatThrownBy(() -> CanonicalJson.encode(NODES.objectNode().put("id", 9007199254740993L)))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessage("at \"/id\": integer 9007199254740993 is beyond ±2^53 (9007199254740992), past which"
                        + " IEEE 754 doubles do not hold every integer (RFC 8785 §3.1); write it as a string");
        assertThatThrownBy(() -> CanonicalJson.encode(NODES.arrayNode().add(BigInteger.TWO.pow(64))))
                .hasMessageStartingWith("at \"/0\": integer 18446744073709551616 is beyond ±2^53");
        assertThatThrownBy(() -> CanonicalJson.encode(NODES.arrayNode().add(1e20)))
                .hasMessageStartingWith("at \"/0\": number 100000000000000000000 is beyond ±2^53");
        assertThatThrownBy(() -> CanonicalJson.encode(NODES.numberNode(-1e300)))
                .hasMessageStartingWith("at the root: number -1e+300 is beyond ±2^53");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[NaN]", "[Infinity]", "[-Infinity]", "{\"a\": NaN}", "[+1]", "[.5]", "[1.]", "[0x10]", "[01]"})
    void parse_nonStandardNumber_throws(String json) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageStartingWith("invalid JSON at line 1, column ");
    }

    @Test
    void parse_numberOverflowingDoubles_throws() {
        assertThatThrownBy(() -> parse("[1, 1e400]"))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessage("number 1e400 at line 1, column 5 is beyond the range of IEEE 754 doubles (RFC 8785 §3.1)");
    }

    @Test
    void encode_nanOrInfinity_throws() {
        for (double value : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            assertThatThrownBy(() -> CanonicalJson.encode(NODES.objectNode().set("x", NODES.arrayNode().add(value))))
                    .isInstanceOf(CanonicalJsonException.class)
                    .hasMessage("at \"/x/0\": number " + value + " is not allowed: JSON has no NaN or infinities"
                            + " (RFC 8785 §3.2.2.3)");
        }
        assertThatThrownBy(() -> CanonicalJson.encode(NODES.numberNode(new BigDecimal("1E+400"))))
                .hasMessage("at the root: number 1E+400 is beyond the range of IEEE 754 doubles (RFC 8785 §3.1)");
    }

    // ---- strings -----------------------------------------------------------------------------

    @Test
    void encode_string_escapesAsJsonStringifyDoes() {
        StringBuilder controls = new StringBuilder();
        for (char c = 0; c < 0x20; c++) {
            controls.append(c);
        }
        String s = controls + "\u007f\"\\/ aé€\ud83d\ude00\ufb33\u2028\ufffe";

        String encoded = CanonicalJson.encodeToString(NODES.textNode(s));

        assertThat(encoded).isEqualTo("\""
                + "\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f"
                + "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f"
                + "\u007f\\\"\\\\/ aé€\ud83d\ude00\ufb33\u2028\ufffe\"");
        assertThat(parse(encoded).textValue()).isEqualTo(s);
    }

    @Test
    void encode_nonAscii_writtenAsUtf8NotEscaped() {
        byte[] bytes = CanonicalJson.encode(parse("[\"\\u00e9\\u20ac\\ud83d\\ude00\\u007f\\u001F\"]"));

        assertThat(hex(bytes)).isEqualTo("5b22" + "c3a9" + "e282ac" + "f09f9880" + "7f" + "5c7530303166" + "225d");
        assertThat(CanonicalJson.encodeToString(parse("[\"\\u00e9\"]"))).isEqualTo("[\"é\"]");
    }

    @Test
    void encode_sameStringsAsKeys_escapedTheSameWay() {
        assertThat(canonical("{\"\\u001F\\n\\\"\\/\\u00e9\": 1}")).isEqualTo("{\"\\u001f\\n\\\"/é\":1}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[\"\\ud800\"]", "[\"x\\udc00\"]", "[\"\\ude00\\ud83d\"]", "[\"a\\ud83d\"]",
            "{\"\\udfff\": 1}", "{\"a\": {\"b\\ud83d\\ud83d\\ude00\": 1}}"})
    void parse_loneSurrogate_throws(String json) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageMatching("(string|member name) at line 1, column \\d+ has a lone surrogate U\\+D[8-9A-F][0-9A-F]{2}"
                        + " at character \\d+ \\(RFC 8785 §3\\.2\\.2\\.2\\)");
    }

    @Test
    void encode_loneSurrogate_throwsWithItsPath() {
        ObjectNode inString = NODES.objectNode();
        inString.putArray("list").add("ok").add("bad \ud800 here");
        ObjectNode inName = NODES.objectNode();
        inName.putObject("outer").put("\udc00", 1);

        assertThatThrownBy(() -> CanonicalJson.encode(inString))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessage("at \"/list/1\": the string has a lone surrogate U+D800 at character 4 (RFC 8785 §3.2.2.2)");
        assertThatThrownBy(() -> CanonicalJson.encode(inName))
                .hasMessage("at \"/outer\": a member name has a lone surrogate U+DC00 at character 0 (RFC 8785 §3.2.2.2)");
    }

    @Test
    void parse_surrogatePair_accepted() {
        assertThat(parse("[\"\\ud83d\\ude00\"]").get(0).textValue()).isEqualTo("\ud83d\ude00");
    }

    // ---- structure ---------------------------------------------------------------------------

    @Test
    void encode_nestedObjectsAndArrays_sortsMembersAtEveryDepthAndKeepsArrayOrder() {
        String json = """
                {
                  "b": [ { "z": 1, "a": [3, 1, 2] }, [], {} ],
                  "a": { "d": true, "c": null, "e": { "y": "y", "x": "x" } },
                  "": "empty",
                  "aa": 0, "A": 0, "ab": 0
                }
                """;

        assertThat(canonical(json)).isEqualTo("{\"\":\"empty\",\"A\":0,\"a\":{\"c\":null,\"d\":true,\"e\":{\"x\":\"x\",\"y\":\"y\"}},"
                + "\"aa\":0,\"ab\":0,\"b\":[{\"a\":[3,1,2],\"z\":1},[],{}]}");
    }

    @Test
    void encode_topLevelScalars() {
        assertThat(canonical(" \"x\" ")).isEqualTo("\"x\"");
        assertThat(canonical("true")).isEqualTo("true");
        assertThat(canonical("false")).isEqualTo("false");
        assertThat(canonical("null")).isEqualTo("null");
        assertThat(canonical("-0.0")).isEqualTo("0");
        assertThat(canonical("[ ]")).isEqualTo("[]");
        assertThat(canonical("{ }")).isEqualTo("{}");
    }

    @Test
    void encode_bytesAreTheStringInUtf8() {
        JsonNode node = parse("{\"\\u20ac\": [\"\\ud83d\\ude00\", 1.5]}");

        assertThat(CanonicalJson.encode(node)).isEqualTo(CanonicalJson.encodeToString(node).getBytes(UTF_8));
    }

    @Test
    void encode_nodesWithNoJsonForm_throw() {
        assertThatThrownBy(() -> CanonicalJson.encode(NODES.arrayNode().add(NODES.binaryNode(new byte[] {1}))))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessage("at \"/0\": a binary node has no JSON form; encode the bytes as a base64 string first");
        assertThatThrownBy(() -> CanonicalJson.encode(NODES.objectNode().set("p", NODES.pojoNode(new Object()))))
                .hasMessage("at \"/p\": a POJO node has no defined JSON form; convert it to a tree first");
        assertThatThrownBy(() -> CanonicalJson.encode(NODES.missingNode()))
                .hasMessage("at the root: a missing node is no JSON value");
    }

    @Test
    void encode_errorPath_escapesNamesAsJsonPointer() {
        ObjectNode tree = NODES.objectNode();
        tree.putArray("a").add(1).addObject().put("b/c~", Double.NaN);

        assertThatThrownBy(() -> CanonicalJson.encode(tree)).hasMessageStartingWith("at \"/a/1/b~1c~0\": number NaN");
    }

    /** An oracle independent of String.compareTo: names as UTF-16BE bytes, compared unsigned. */
    @Test
    void encode_randomNames_sortedAsUnsignedUtf16CodeUnits() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int round = 0; round < 200; round++) {
            ObjectNode object = NODES.objectNode();
            for (int i = 0; i < 12; i++) {
                object.put(randomString(random, 4), i);
            }

            List<String> written = new ArrayList<>();
            parse(CanonicalJson.encodeToString(object)).properties().forEach(member -> written.add(member.getKey()));

            List<String> expected = new ArrayList<>();
            object.properties().forEach(member -> expected.add(member.getKey()));
            expected.sort((x, y) -> Arrays.compareUnsigned(x.getBytes(StandardCharsets.UTF_16BE), y.getBytes(StandardCharsets.UTF_16BE)));
            assertThat(written).as(seedNote("round %d", round)).isEqualTo(expected);
        }
    }

    @Test
    void encode_randomTreesInShuffledMemberOrder_giveIdenticalBytes() {
        SplittableRandom random = new SplittableRandom(SEED);
        for (int round = 0; round < 300; round++) {
            JsonNode tree = randomValue(random, 0);
            JsonNode shuffled = shuffledCopy(tree, random);

            assertThat(CanonicalJson.encode(shuffled)).as(seedNote("round %d: %s", round, tree)).isEqualTo(CanonicalJson.encode(tree));
        }
    }

    @Test
    void parseEncodeParse_randomTrees_roundTrip() throws IOException {
        ObjectMapper mapper = new ObjectMapper();
        SplittableRandom random = new SplittableRandom(SEED);
        for (int round = 0; round < 300; round++) {
            JsonNode tree = randomValue(random, 0);
            byte[] canonical = CanonicalJson.encode(tree);
            // the same tree as other JSON writers would send it: members reordered, indented
            byte[] loose = mapper.writerWithDefaultPrettyPrinter().writeValueAsBytes(shuffledCopy(tree, random));

            JsonNode parsed = CanonicalJson.parse(canonical);
            byte[] again = CanonicalJson.encode(parsed);

            assertThat(again).as(seedNote("round %d: %s", round, tree)).isEqualTo(canonical);
            assertThat(CanonicalJson.parse(again)).as(seedNote("round %d: %s", round, tree)).isEqualTo(parsed);
            assertThat(CanonicalJson.encode(CanonicalJson.parse(loose))).as(seedNote("round %d: %s", round, tree)).isEqualTo(canonical);
        }
    }

    // ---- what parse refuses ------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\": 1, \"a\": 2}", "{\"a\": 1, \"\\u0061\": 1}", "[{\"x\": {\"b\": [], \"c\": 0, \"b\": null}}]"})
    void parse_duplicateMemberName_throws(String json) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageMatching("invalid JSON at line 1, column \\d+: Duplicate field '(a|b)'");
    }

    @Test
    void parse_sameNameInSiblingObjects_accepted() {
        assertThat(canonical("[{\"a\": 1}, {\"a\": 2}, {\"b\": {\"a\": 3}}]")).isEqualTo("[{\"a\":1},{\"a\":2},{\"b\":{\"a\":3}}]");
    }

    @Test
    void parse_error_namesLineAndColumn() {
        assertThatThrownBy(() -> parse("{\n  \"a\": 1,\n  \"b\": [1, 2,]\n}"))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageStartingWith("invalid JSON at line 3, column 14: Unexpected character (']' (code 93))");
        assertThatThrownBy(() -> parse("{\n  \"a\": 1,\n\n    \"a\": 2}"))
                .hasMessage("invalid JSON at line 4, column 8: Duplicate field 'a'");
    }

    @Test
    void parse_overLimit_throws_atLimit_accepted() {
        byte[] json = "{\"a\": \"0123456789\"}".getBytes(UTF_8);

        assertThat(CanonicalJson.parse(json, json.length).get("a").textValue()).isEqualTo("0123456789");
        assertThatThrownBy(() -> CanonicalJson.parse(json, json.length - 1))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessage("the JSON text is 19 bytes, over the limit of 18");
        assertThatThrownBy(() -> CanonicalJson.parse(json, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parse_overDefaultLimit_throws() {
        byte[] json = ("\"" + "x".repeat(CanonicalJson.DEFAULT_MAX_BYTES - 2) + "\"").getBytes(UTF_8);

        assertThat(CanonicalJson.parse(json).textValue()).hasSize(CanonicalJson.DEFAULT_MAX_BYTES - 2);
        byte[] over = Arrays.copyOf(json, json.length + 1);
        over[json.length] = ' ';
        assertThatThrownBy(() -> CanonicalJson.parse(over))
                .hasMessage("the JSON text is 1048577 bytes, over the limit of 1048576");
    }

    private static String nested(String open, String close, int depth) {
        return open.repeat(depth) + "0" + close.repeat(depth);
    }

    @Test
    void parse_nesting64Deep_accepted_65Deep_throws() {
        assertThat(canonical(nested("[", "]", 64))).isEqualTo(nested("[", "]", 64));
        assertThat(canonical(nested("{\"k\":", "}", 64))).isEqualTo(nested("{\"k\":", "}", 64));

        assertThatThrownBy(() -> parse(nested("[", "]", 65)))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessage("arrays and objects nest deeper than 64 at line 1, column 65");
        assertThatThrownBy(() -> parse("{\"k\": " + nested("[", "]", 32) + ", \"j\": " + nested("{\"k\": ", "}", 65) + "}"))
                .hasMessageStartingWith("arrays and objects nest deeper than 64 at line 1, column ");
    }

    @Test
    void encode_nesting65Deep_throws() {
        JsonNode deep = NODES.numberNode(0);
        for (int i = 0; i < 64; i++) {
            deep = NODES.arrayNode().add(deep);
        }
        assertThat(CanonicalJson.encodeToString(deep)).isEqualTo(nested("[", "]", 64));

        JsonNode tooDeep = NODES.objectNode().set("k", deep);
        assertThatThrownBy(() -> CanonicalJson.encode(tooDeep))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageStartingWith("at \"/k/0/0/0/")
                .hasMessageEndingWith("\": arrays and objects nest deeper than 64");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{} x", "[1] [2]", "{}}", "1 2", "\"a\"\"b\"", "{} // comment", "null,", "true false"})
    void parse_trailingContent_throws(String json) {
        assertThatThrownBy(() -> parse(json))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessageStartingWith("trailing content after the JSON value at line 1, column ");
    }

    @Test
    void parse_trailingWhitespace_accepted() {
        assertThat(canonical("\r\n\t {\"a\": [1] } \n\t\r ")).isEqualTo("{\"a\":[1]}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   \n", "[1,]", "{\"a\" 1}", "{'a': 1}", "{a: 1}", "[\"tab\tinside\"]", "[1", "{\"a\": 1",
            "[\"\\x41\"]", "[True]", "/* c */ 1"})
    void parse_malformed_throws(String json) {
        assertThatThrownBy(() -> parse(json)).isInstanceOf(CanonicalJsonException.class);
    }

    @Test
    void parse_notUtf8_throws() {
        // U+D800 encoded as if it were a character (CESU-8), an overlong "/", a stray continuation byte
        for (byte[] json : List.of(bytes('[', '"', 0xED, 0xA0, 0x80, '"', ']'), bytes('[', '"', 0xC0, 0xAF, '"', ']'),
                bytes('[', '"', 0x80, '"', ']'))) {
            assertThatThrownBy(() -> CanonicalJson.parse(json))
                    .isInstanceOf(CanonicalJsonException.class)
                    .hasMessageStartingWith("the JSON text is not well-formed UTF-8: byte offset 2 starts an invalid sequence");
        }
        assertThatThrownBy(() -> CanonicalJson.parse("[\"utf-16\"]".getBytes(StandardCharsets.UTF_16LE)))
                .isInstanceOf(CanonicalJsonException.class);
    }

    @Test
    void parse_byteOrderMark_throws() {
        assertThatThrownBy(() -> CanonicalJson.parse(bytes(0xEF, 0xBB, 0xBF, '{', '}')))
                .isInstanceOf(CanonicalJsonException.class)
                .hasMessage("the JSON text starts with a byte order mark (RFC 8259 §8.1 forbids it)");
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    // ---- random trees ------------------------------------------------------------------------

    /** Characters chosen to stress escaping and UTF-16 ordering: controls, quotes, non-ASCII, astral. */
    private static final String[] PIECES = {"a", "b", "z", "A", "0", "1", " ", "\"", "\\", "/", "\n", "\r", "\t", "\u0000", "\u001f",
            "\u007f", "\u0080", "\u00f6", "é", "€", "\ufb33", "\uffff", "\ud83d\ude00", "\ud800\udc00", "\udbff\udfff", "~"};

    private static String randomString(SplittableRandom random, int maxPieces) {
        StringBuilder s = new StringBuilder();
        int pieces = random.nextInt(maxPieces + 1);
        for (int i = 0; i < pieces; i++) {
            s.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return s.toString();
    }

    private static JsonNode randomValue(SplittableRandom random, int depth) {
        int kind = random.nextInt(depth >= 5 ? 6 : 8);
        return switch (kind) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.textNode(randomString(random, 6));
            case 3 -> NODES.numberNode(random.nextInt());
            case 4 -> NODES.numberNode(random.nextLong(-CanonicalJson.MAX_MAGNITUDE, CanonicalJson.MAX_MAGNITUDE + 1));
            case 5 -> NODES.numberNode(randomDouble(random));
            case 6 -> {
                ArrayNode array = NODES.arrayNode();
                int size = random.nextInt(5);
                for (int i = 0; i < size; i++) {
                    array.add(randomValue(random, depth + 1));
                }
                yield array;
            }
            default -> {
                ObjectNode object = NODES.objectNode();
                int size = random.nextInt(6);
                for (int i = 0; i < size; i++) {
                    object.set(randomString(random, 3), randomValue(random, depth + 1));
                }
                yield object;
            }
        };
    }

    /** A finite double within ±2^53: short decimals, integers and arbitrary bit patterns. */
    private static double randomDouble(SplittableRandom random) {
        while (true) {
            double value = switch (random.nextInt(3)) {
                case 0 -> random.nextInt(-100_000, 100_000) / Math.pow(10, random.nextInt(12));
                case 1 -> (double) random.nextLong(-CanonicalJson.MAX_MAGNITUDE, CanonicalJson.MAX_MAGNITUDE + 1);
                default -> Double.longBitsToDouble(random.nextLong());
            };
            if (Double.isFinite(value) && Math.abs(value) <= CanonicalJson.MAX_MAGNITUDE) {
                return value;
            }
        }
    }

    /** The same tree with every object's members inserted in a random order. */
    private static JsonNode shuffledCopy(JsonNode node, SplittableRandom random) {
        if (node.isObject()) {
            List<Map.Entry<String, JsonNode>> members = new ArrayList<>(node.properties());
            for (int i = members.size() - 1; i > 0; i--) {
                int j = random.nextInt(i + 1);
                Map.Entry<String, JsonNode> swap = members.get(i);
                members.set(i, members.get(j));
                members.set(j, swap);
            }
            ObjectNode copy = NODES.objectNode();
            members.forEach(member -> copy.set(member.getKey(), shuffledCopy(member.getValue(), random)));
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = NODES.arrayNode();
            node.forEach(element -> copy.add(shuffledCopy(element, random)));
            return copy;
        }
        return node;
    }
}
