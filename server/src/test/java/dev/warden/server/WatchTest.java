package dev.warden.server;

import dev.warden.inventory.Inventory;
import dev.warden.ledger.checkpoint.Checkpoint;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Push propagation ({@code GET /log/watch}, server-sent events) and the server's Prometheus
 * metrics, against a real server.
 */
class WatchTest {
    static final Principal ADMIN = Principal.of("ada", Role.ADMIN);

    @TempDir
    Path dir;
    ApiServer api;
    final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() {
        api = new ApiServer(dir);
    }

    @AfterEach
    void stop() {
        api.close();
    }

    /** One server-sent event: its fields, with data lines joined by line feeds (WHATWG HTML §9.2.6). */
    record Sse(String event, String id, String data) {
    }

    static Sse next(Iterator<String> lines) {
        String event = null;
        String id = null;
        StringBuilder data = new StringBuilder();
        while (lines.hasNext()) {
            String line = lines.next();
            if (line.isEmpty()) {
                if (event != null || !data.isEmpty()) {
                    return new Sse(event, id, data.toString());
                }
            } else if (line.startsWith("event: ")) {
                event = line.substring(7);
            } else if (line.startsWith("id: ")) {
                id = line.substring(4);
            } else if (line.startsWith("data: ")) {
                data.append(line.substring(6)).append('\n');
            } else if (line.equals("data:")) {
                data.append('\n');
            }
        }
        throw new AssertionError("the stream ended");
    }

    HttpResponse<Stream<String>> watch() throws Exception {
        HttpResponse<Stream<String>> r = http.send(HttpRequest.newBuilder(api.uri(Watch.PATH))
                        .header("Accept", "text/event-stream").GET().build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        return r;
    }

    Map<String, Double> metrics(String token) {
        ApiServer.Reply r = api.get("/v1/metrics", token);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("text/plain; version=0.0.4");
        Map<String, Double> values = new HashMap<>();
        for (String line : r.text().split("\n")) {
            if (!line.startsWith("#")) {
                int space = line.lastIndexOf(' ');
                values.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
            }
        }
        return values;
    }

    @Test
    void watch_announcesTheCurrentCheckpointAtOnce_thenEachNewOne_asVerifiableNotes() throws Exception {
        HttpResponse<Stream<String>> r = watch();
        try (Stream<String> lines = r.body()) {
            Iterator<String> it = lines.iterator();
            Sse first = next(it);
            assertThat(first.event()).isEqualTo("checkpoint");
            assertThat(first.data()).isEqualTo(api.journal.ledger().checkpoint());
            assertThat(first.id()).isEqualTo(Long.toString(api.ledgerSize()));

            new Inventory(api.journal).registerCustomer(ADMIN, "acct-1", "Example", "business", "DE");
            Sse second = next(it);
            Checkpoint cp = Checkpoint.open(second.data(), ApiServer.KEY.verifierKey());
            assertThat(cp.size()).isEqualTo(api.ledgerSize()).isGreaterThan(Long.parseLong(first.id()));
            assertThat(second.id()).isEqualTo(Long.toString(cp.size()));
        }
    }

    @Test
    void watch_withoutAcceptingAnEventStream_isNotAcceptable() {
        ApiServer.Reply r = api.get(Watch.PATH, null);
        assertThat(r.status()).isEqualTo(406);
        assertThat(r.mediaType()).isEqualTo("application/problem+json");
        assertThat(r.json().path("detail").asText()).contains("Accept: text/event-stream");
    }

    @Test
    void watch_isCountedInTheMetrics_andReleasedWhenItsClientLeaves() throws Exception {
        String auditor = api.token("audrey", Role.AUDITOR);
        HttpResponse<Stream<String>> r = watch();
        try (Stream<String> lines = r.body()) {
            next(lines.iterator());
            assertThat(metrics(auditor)).containsEntry("warden_watch_streams", 1.0);
        }
        // The server learns that the client left when its next announcement fails to write.
        Inventory inventory = new Inventory(api.journal);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        int n = 0;
        while (metrics(auditor).get("warden_watch_streams") > 0 && System.nanoTime() < deadline) {
            inventory.registerCustomer(ADMIN, "acct-" + n++, "Example", "business", "DE");
            Thread.sleep(50);
        }
        assertThat(metrics(auditor)).containsEntry("warden_watch_streams", 0.0);
    }

    @Test
    void metrics_countDecisionsByAnswer_forScrapersWithATokenOnly() {
        String follower = api.token("svc", Role.FOLLOWER);
        assertThat(api.get("/v1/metrics", null).status()).isEqualTo(401);
        assertThat(api.get("/v1/metrics", api.token("ann", Role.ANALYST)).status()).isEqualTo(403);
        Map<String, Double> before = metrics(follower);
        assertThat(before).containsEntry("warden_decisions_total{answer=\"allow\"}", 0.0)
                .containsEntry("warden_decision_log_dropped_total", 0.0)
                .containsEntry("warden_ledger_size", (double) api.ledgerSize());
        String request = "{\"subscription\":\"sub-1\",\"service\":\"object-storage\",\"operation\":\"write\","
                + "\"region\":\"de-1\"}";
        assertThat(api.post("/v1/decide", follower, request).status()).isEqualTo(200);
        assertThat(api.post("/v1/decide/batch", follower, "{\"requests\":[" + request + "," + request + "]}").status())
                .isEqualTo(200);
        assertThat(metrics(follower)).containsEntry("warden_decisions_total{answer=\"allow\"}", 3.0)
                .containsEntry("warden_decisions_total{answer=\"deny\"}", 0.0);
    }
}
