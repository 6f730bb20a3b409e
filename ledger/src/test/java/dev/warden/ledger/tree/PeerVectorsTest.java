package dev.warden.ledger.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The peer test vectors for RFC 9162 proof verification (from transparency-dev/merkle), read at
 * run time from {@code <warden.shared.dir>/testdata/merkle}; they are never copied into this
 * repository. One dynamic test per file, named after its path and description.
 *
 * <p>How a vector is judged: its hashes are standard base64, passed as raw bytes to the wire-level
 * {@code Proofs.verify*}, which refuses any hash that is not 32 bytes wherever it would be hashed;
 * it must throw {@link ProofException} exactly when the vector says {@code wantErr}. Sizes and indices are
 * unsigned 64-bit in the vectors; one of 2^63 or more is passed on as the signed long with the same
 * bits (as Go's {@code int64(x)} would), so a negative value, which the verifier must refuse.
 */
class PeerVectorsTest {
    /** Files under testdata/merkle/inclusion and testdata/merkle/consistency. */
    static final int EXPECTED_COUNT = 196;

    private static final ObjectMapper JSON = new ObjectMapper();

    static Path vectorsDir() {
        String shared = System.getProperty("warden.shared.dir");
        Path base = shared == null || shared.isBlank() ? Path.of("../../shared") : Path.of(shared);
        return base.resolve("testdata").resolve("merkle").toAbsolutePath().normalize();
    }

    /** The vector files, sorted by path; skips the calling test if they are not there. */
    static List<Path> vectorFilesOrSkip() {
        Path dir = vectorsDir();
        Assumptions.assumeTrue(Files.isDirectory(dir.resolve("inclusion")) && Files.isDirectory(dir.resolve("consistency")),
                () -> "peer vectors not found at " + dir + ": clone beside ../shared to run them");
        List<Path> files = new ArrayList<>();
        for (String kind : List.of("inclusion", "consistency")) {
            try (Stream<Path> walk = Files.walk(dir.resolve(kind))) {
                walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json"))
                        .sorted()
                        .forEach(files::add);
            } catch (IOException e) {
                throw new UncheckedIOException("couldn't list peer vectors under " + dir, e);
            }
        }
        return files;
    }

    static String relative(Path file) {
        return vectorsDir().relativize(file).toString().replace('\\', '/');
    }

    @Test
    void peerVectors_whenPresent_are196Files() {
        List<Path> files = vectorFilesOrSkip();
        assertThat(files).as("peer vector files under %s", vectorsDir()).hasSize(EXPECTED_COUNT);
    }

    @TestFactory
    Stream<DynamicTest> peerVectors() {
        return vectorFilesOrSkip().stream().map(file -> {
            String path = relative(file);
            JsonNode vector = read(file);
            JsonNode desc = vector.get("desc");
            String name = path + ": " + (desc != null && desc.isTextual() ? desc.asText() : "(no desc)");
            return dynamicTest(name, file.toUri(), () -> check(path, vector));
        });
    }

    private static void check(String path, JsonNode vector) throws ProofException {
        JsonNode wantErrNode = vector.get("wantErr");
        assertThat(wantErrNode).as("%s: wantErr", path).isNotNull();
        assertThat(wantErrNode.isBoolean()).as("%s: wantErr is a boolean", path).isTrue();
        boolean wantErr = wantErrNode.asBoolean();

        Outcome outcome = path.startsWith("inclusion/") ? inclusion(vector) : consistency(vector);

        assertThat(outcome.rejected())
                .as("%s: wantErr is %s, but Warden %s", path, wantErr,
                        outcome.rejected() ? "refused it: " + outcome.reason() : "accepted it")
                .isEqualTo(wantErr);
    }

    private static Outcome inclusion(JsonNode v) {
        try {
            Proofs.verifyInclusion(number(v, "leafIdx"), number(v, "treeSize"), bytes(v, "leafHash"), proof(v),
                    bytes(v, "root"));
            return new Outcome(false, "");
        } catch (ProofException e) {
            return new Outcome(true, e.getMessage());
        }
    }

    private static Outcome consistency(JsonNode v) {
        try {
            Proofs.verifyConsistency(number(v, "size1"), number(v, "size2"), bytes(v, "root1"), bytes(v, "root2"),
                    proof(v));
            return new Outcome(false, "");
        } catch (ProofException e) {
            return new Outcome(true, e.getMessage());
        }
    }

    /** What Warden made of a vector: refused or not, and why. */
    private record Outcome(boolean rejected, String reason) {
    }

    /** The proof hashes; a missing or null proof is the empty proof, as in Go. */
    private static List<byte[]> proof(JsonNode v) {
        JsonNode node = v.get("proof");
        List<byte[]> proof = new ArrayList<>();
        if (node == null || node.isNull()) {
            return proof;
        }
        assertThat(node.isArray()).as("proof is an array: %s", node).isTrue();
        for (JsonNode h : node) {
            assertThat(h.isTextual()).as("proof hash is a string: %s", h).isTrue();
            proof.add(Base64.getDecoder().decode(h.asText()));
        }
        return proof;
    }

    private static byte[] bytes(JsonNode v, String field) {
        return Base64.getDecoder().decode(text(v, field));
    }

    private static String text(JsonNode v, String field) {
        JsonNode node = v.get(field);
        assertThat(node != null && node.isTextual()).as("%s is a string in %s", field, v).isTrue();
        return node.asText();
    }

    /** An unsigned 64-bit field as the signed long with the same bits. */
    private static long number(JsonNode v, String field) {
        JsonNode node = v.get(field);
        assertThat(node != null && node.isIntegralNumber()).as("%s is an integer in %s", field, v).isTrue();
        BigInteger value = node.bigIntegerValue();
        assertThat(value.signum() >= 0 && value.bitLength() <= 64).as("%s is a uint64 in %s", field, v).isTrue();
        return value.longValue();
    }

    private static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("couldn't read peer vector " + file, e);
        }
    }
}
