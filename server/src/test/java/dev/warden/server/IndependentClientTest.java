package dev.warden.server;

import dev.warden.ledger.Ledger;
import dev.warden.ledger.note.SignerKey;
import dev.warden.ledger.storage.MemoryLogStorage;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An independent tlog-tiles client, written for Node.js from the C2SP specs alone
 * ({@code interop/tlog-tiles-client.mjs}), verifies the log that {@code warden serve} serves.
 * CI installs Node.js; elsewhere the test is skipped with a message when {@code node} is missing.
 */
class IndependentClientTest {
    @TempDir
    Path dir;

    @Test
    void independentNodeClient_verifiesOurLog_atSeveralSizes() throws Exception {
        Path root = Path.of(System.getProperty("warden.root.dir", "..")).toAbsolutePath().normalize();
        Path client = root.resolve("interop/tlog-tiles-client.mjs");
        Assumptions.assumeTrue(Files.exists(client), "independent client not found at " + client);
        Assumptions.assumeTrue(nodeAvailable(), "node is not installed: the independent tlog-tiles client needs Node.js 18+");
        SignerKey key = SignerKey.generate("interop.warden.local/log");
        Path vkey = dir.resolve("log.vkey");
        Files.writeString(vkey, key.verifierKey().encode() + "\n");
        try (Ledger ledger = Ledger.open(new MemoryLogStorage(), key);
             WardenServer server = WardenServer.start(ledger, "127.0.0.1", 0)) {
            String url = "http://127.0.0.1:" + server.port() + WardenServer.LOG_PREFIX;
            int appended = 0;
            for (int target : new int[] {0, 1, 255, 256, 257, 66_000}) {
                List<CompletableFuture<Long>> f = new ArrayList<>();
                for (; appended < target; appended++) {
                    f.add(ledger.appendAsync(("interop " + appended).getBytes(StandardCharsets.UTF_8)));
                }
                f.forEach(CompletableFuture::join);
                Process p = new ProcessBuilder("node", client.toString(), "--url", url, "--vkey", "@" + vkey)
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
                assertThat(p.exitValue()).as("node client at size %d said: %s", target, out).isZero();
                assertThat(out).contains("\"ok\":true").contains("\"size\":" + target);
            }
        }
    }

    private static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
