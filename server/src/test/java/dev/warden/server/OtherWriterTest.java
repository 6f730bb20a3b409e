package dev.warden.server;

import dev.warden.ledger.Ledger;
import dev.warden.ledger.note.SignerKey;
import dev.warden.ledger.storage.MemoryLogStorage;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A server picks up appends that another writer (say, {@code warden ledger append}) made to its store. */
class OtherWriterTest {
    @Test
    void appendsByAnotherWriterOnTheSameStore_reachTheServedCheckpointWithinSeconds() throws Exception {
        SignerKey key = SignerKey.generate("writers.warden.local/log");
        MemoryLogStorage storage = new MemoryLogStorage();
        HttpClient http = HttpClient.newHttpClient();
        try (Ledger served = Ledger.open(storage, key);
             WardenServer server = WardenServer.start(served, "127.0.0.1", 0);
             Ledger other = Ledger.open(storage, key)) {
            other.append("from another process".getBytes(StandardCharsets.UTF_8));
            URI checkpoint = URI.create("http://127.0.0.1:" + server.port() + WardenServer.LOG_PREFIX + "/checkpoint");
            String body = "";
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (System.nanoTime() < deadline && !body.startsWith("writers.warden.local/log\n1\n")) {
                body = http.send(HttpRequest.newBuilder(checkpoint).build(), HttpResponse.BodyHandlers.ofString()).body();
                Thread.sleep(100);
            }
            assertThat(body).startsWith("writers.warden.local/log\n1\n");
            assertThat(served.append("from the server's own writer".getBytes(StandardCharsets.UTF_8))).isEqualTo(1);
        }
    }
}
