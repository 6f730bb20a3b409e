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
 * <p>How a vector is judged: its hashes are standard base64, and one that does not decode to
 * exactly 32 bytes is refused as Warden refuses it everywhere ({@link Hash#fromBase64} throws), which
 * counts as an error; otherwise {@code Proofs.verify*} runs, and it must throw
 * {@link ProofException} exactly when the vector says {@code wantErr}. Sizes and indices are
 * unsigned 64-bit in the vectors; one of 2^63 or more is passed on as the signed long with the same
 * bits (as Go's {@code int64(x)} would), so a negative value, which the verifier must refuse.
 */
class PeerVectorsTest {
    /** Files under testdata/merkle/inclusion and testdata/merkle/consistency. */
    static final int EXPECTED_COUNT = 196;

    /**
     * Vectors where Warden's answer knowingly differs from the peer's, with the reason. Each must
     * still exist and still differ, so that the list cannot go stale.
     */
    static final Map<String, String> DEVIATIONS = Map.of(
            "consistency/additional/sizes-are-equal-one-and-proof-is-empty.json",
            "its roots are the 12-byte string \"don't care 2\"; the Go verifier compares roots as raw bytes"
                    + " and accepts, but Warden takes only 32-byte hashes (FORMATS.md: every hash must be"
                    + " exactly 32 bytes), so it refuses the vector before verifying");

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
    void peerVectors_whenPresent_are196FilesAndEveryDeviationIsOneOfThem() {
        List<Path> files = vectorFilesOrSkip();
        assertThat(files).as("peer vector files under %s", vectorsDir()).hasSize(EXPECTED_COUNT);
        List<String> names = files.stream().map(PeerVectorsTest::relative).toList();
        assertThat(names).containsAll(DEVIATIONS.keySet());
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

        String deviation = DEVIATIONS.get(path);
        if (deviation != null) {
            assertThat(wantErr).as("%s no longer expects success: drop it from DEVIATIONS", path).isFalse();
            assertThat(outcome.malformed()).as("%s is no longer refused at parse time: drop it from DEVIATIONS (%s)",
                    path, outcome.reason()).isTrue();
            // its intent still holds with well-formed hashes: equal sizes, equal roots, empty proof
            Hash root1 = ReferenceTree.sha256(Base64.getDecoder().decode(vector.get("root1").asText()));
            Hash root2 = ReferenceTree.sha256(Base64.getDecoder().decode(vector.get("root2").asText()));
            Proofs.verifyConsistency(number(vector, "size1"), number(vector, "size2"), root1, root2, List.of());
            return;
        }
        assertThat(outcome.rejected())
                .as("%s: wantErr is %s, but Warden %s", path, wantErr,
                        outcome.rejected() ? "refused it: " + outcome.reason() : "accepted it")
                .isEqualTo(wantErr);
    }

    private static Outcome inclusion(JsonNode v) {
        long index = number(v, "leafIdx");
        long size = number(v, "treeSize");
        Hash root;
        Hash leafHash;
        List<Hash> proof;
        try {
            root = Hash.fromBase64(text(v, "root"));
            leafHash = Hash.fromBase64(text(v, "leafHash"));
            proof = proof(v);
        } catch (IllegalArgumentException e) {
            return new Outcome(true, true, "malformed hash: " + e.getMessage());
        }
        try {
            Proofs.verifyInclusion(index, size, leafHash, proof, root);
            return new Outcome(false, false, "");
        } catch (ProofException e) {
            return new Outcome(true, false, e.getMessage());
        }
    }

    private static Outcome consistency(JsonNode v) {
        long size1 = number(v, "size1");
        long size2 = number(v, "size2");
        Hash root1;
        Hash root2;
        List<Hash> proof;
        try {
            root1 = Hash.fromBase64(text(v, "root1"));
            root2 = Hash.fromBase64(text(v, "root2"));
            proof = proof(v);
        } catch (IllegalArgumentException e) {
            return new Outcome(true, true, "malformed hash: " + e.getMessage());
        }
        try {
            Proofs.verifyConsistency(size1, size2, root1, root2, proof);
            return new Outcome(false, false, "");
        } catch (ProofException e) {
            return new Outcome(true, false, e.getMessage());
        }
    }

    /** What Warden made of a vector: refused or not, and whether it refused a malformed hash. */
    private record Outcome(boolean rejected, boolean malformed, String reason) {
    }

    /** The proof hashes; a missing or null proof is the empty proof, as in Go. */
    private static List<Hash> proof(JsonNode v) {
        JsonNode node = v.get("proof");
        List<Hash> proof = new ArrayList<>();
        if (node == null || node.isNull()) {
            return proof;
        }
        assertThat(node.isArray()).as("proof is an array: %s", node).isTrue();
        for (JsonNode h : node) {
            assertThat(h.isTextual()).as("proof hash is a string: %s", h).isTrue();
            proof.add(Hash.fromBase64(h.asText()));
        }
        return proof;
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
