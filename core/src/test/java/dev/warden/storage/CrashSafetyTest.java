package dev.warden.storage;

import dev.warden.ledger.Ledger;
import dev.warden.ledger.note.SignerKey;
import dev.warden.ledger.verifier.LogVerifier;
import dev.warden.storage.TestDatabases.Backend;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a child JVM with SIGKILL at random moments while it appends to a log in SQLite or
 * PostgreSQL, many times over. After every kill the log must open, verify, stay consistent with the previous
 * checkpoint, and hold every append the child had seen acknowledged.
 * Iterations: {@code -Dwarden.crash.iterations} (default 8; the soak profile runs more).
 */
class CrashSafetyTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void killNineWhileAppending_losesNoAcknowledgedAppend_andTheLogAlwaysVerifies(Backend backend) throws Exception {
        long seed = Long.getLong("warden.crash.seed", System.nanoTime());
        int iterations = Integer.getInteger("warden.crash.iterations", backend == Backend.SQLITE ? 8 : 4);
        String location = TestDatabases.location(backend, dir);
        Random random = new Random(seed);
        SignerKey key = SignerKey.generate("crash.warden.local/log");
        Map<Long, String> acknowledged = new ConcurrentHashMap<>();
        Optional<String> previous = Optional.empty();
        long totalAcked = 0;
        for (int run = 0; run < iterations; run++) {
            ProcessBuilder pb = new ProcessBuilder(javaBinary(), "-cp", System.getProperty("java.class.path"),
                    CrashAppender.class.getName(), location, Integer.toString(run));
            pb.environment().put("WARDEN_TEST_KEY", key.encode());
            pb.redirectError(ProcessBuilder.Redirect.DISCARD);
            Process child = pb.start();
            CountDownLatch ready = new CountDownLatch(1);
            List<String> acks = new ArrayList<>();
            Thread reader = Thread.ofPlatform().start(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        if (line.equals("ready")) {
                            ready.countDown();
                        } else {
                            synchronized (acks) {
                                acks.add(line);
                            }
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // the child was killed mid-line; what was read before counts
                }
            });
            assertThat(ready.await(60, TimeUnit.SECONDS)).as("child started (seed %d)", seed).isTrue();
            Thread.sleep(20 + random.nextInt(400));
            child.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no flushing
            child.waitFor(30, TimeUnit.SECONDS);
            reader.join(10_000);
            synchronized (acks) {
                for (String line : acks) {
                    int space = line.indexOf(' ');
                    if (space > 0 && line.startsWith("run-", space + 1)) {
                        acknowledged.put(Long.parseLong(line.substring(0, space)), line.substring(space + 1));
                    }
                }
                totalAcked += acks.size();
            }
            try (Database db = TestDatabases.open(location); Ledger ledger = Ledger.open(new SqlLogStorage(db), key)) {
                LogVerifier.Result result = LogVerifier.of(ledger.tileSource(), key.verifierKey()).verify(previous);
                previous = Optional.of(result.note());
                for (Map.Entry<Long, String> ack : acknowledged.entrySet()) {
                    assertThat(ack.getKey()).as("acknowledged index survives kill %d (seed %d)", run, seed)
                            .isLessThan(ledger.size());
                    assertThat(new String(ledger.entry(ack.getKey()), StandardCharsets.UTF_8))
                            .as("entry %d after kill %d (seed %d)", ack.getKey(), run, seed)
                            .isEqualTo(ack.getValue());
                }
            }
        }
        assertThat(totalAcked).as("the children acknowledged appends (seed %d)", seed).isPositive();
    }

    private static String javaBinary() {
        return ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }
}
