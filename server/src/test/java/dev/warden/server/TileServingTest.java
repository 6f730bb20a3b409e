package dev.warden.server;

import dev.warden.ledger.Ledger;
import dev.warden.ledger.note.SignerKey;
import dev.warden.ledger.storage.MemoryLogStorage;
import dev.warden.ledger.verifier.HttpTileSource;
import dev.warden.ledger.verifier.LogVerifier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** The tlog-tiles endpoints on a real server on a free port, called with a real HTTP client. */
class TileServingTest {
    static final SignerKey KEY = SignerKey.generate("serve.warden.local/log");
    static Ledger ledger;
    static WardenServer server;
    static String base;
    static final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void start() {
        ledger = Ledger.open(new MemoryLogStorage(), KEY);
        List<CompletableFuture<Long>> f = new ArrayList<>();
        for (int i = 0; i < 70_000; i++) {
            f.add(ledger.appendAsync(("envelope " + i).getBytes(StandardCharsets.UTF_8)));
        }
        f.forEach(CompletableFuture::join);
        server = WardenServer.start(ledger, "127.0.0.1", 0);
        base = "http://127.0.0.1:" + server.port() + WardenServer.LOG_PREFIX;
    }

    @AfterAll
    static void stop() {
        server.close();
        ledger.close();
    }

    static HttpResponse<byte[]> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** The Content-Type without optional whitespace, as Jetty writes it. */
    static String mediaType(HttpResponse<?> r) {
        return r.headers().firstValue("Content-Type").orElse("").replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    }

    @Test
    void checkpoint_isPlainUtf8Text_thatCachesDoNotKeep() throws Exception {
        var r = get("/checkpoint");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(mediaType(r)).isEqualTo("text/plain;charset=utf-8");
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).startsWith("serve.warden.local/log\n70000\n");
    }

    @Test
    void fullTile_isBinaryAndImmutable() throws Exception {
        var r = get("/tile/0/017");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).hasSize(8192);
        assertThat(mediaType(r)).isEqualTo("application/octet-stream");
        assertThat(r.headers().firstValue("Cache-Control")).hasValueSatisfying(v -> assertThat(v).contains("immutable"));
    }

    @Test
    void partialTile_andPartialBundle_areServedAtTheirWidth_withoutImmutability() throws Exception {
        // 70,000 = 273·256 + 112: level 0 has 273 full tiles and a partial of 112; level 1 one full
        // tile and a partial of 17; level 2 a partial of 1.
        var r = get("/tile/0/273.p/112");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).hasSize(112 * 32);
        assertThat(r.headers().firstValue("Cache-Control")).contains("no-cache");
        assertThat(get("/tile/1/000").body()).hasSize(8192);
        assertThat(get("/tile/1/001.p/17").body()).hasSize(17 * 32);
        assertThat(get("/tile/1/001.p/18").statusCode()).isEqualTo(404);
        assertThat(get("/tile/2/000.p/1").body()).hasSize(32);
        assertThat(get("/tile/entries/273.p/112").statusCode()).isEqualTo(200);
        assertThat(get("/tile/entries/x001/000").statusCode()).isEqualTo(404);
    }

    @Test
    void tileBeyondTheLog_isNotFound_asProblemJson() throws Exception {
        var r = get("/tile/0/x001/000");
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json;charset=utf-8");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).contains("\"status\":404").contains("beyond the log");
    }

    @Test
    void malformedTilePath_isBadRequest_namingWhatIsWrong() throws Exception {
        for (String path : new String[] {"/tile/0/1", "/tile/0/x000/001", "/tile/64/000", "/tile/0/000.p/256",
                "/tile/0/000.p/0", "/tile/00/000", "/tile/entries/abc"}) {
            var r = get(path);
            assertThat(r.statusCode()).as(path).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).as(path).hasValue("application/problem+json;charset=utf-8");
            assertThat(new String(r.body(), StandardCharsets.UTF_8)).as(path).contains("couldn't parse tile path");
        }
    }

    @Test
    void unknownPath_isNotFound_asProblemJson() throws Exception {
        var r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/nope")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json;charset=utf-8");
    }

    @Test
    void javaVerifier_overHttp_acceptsTheServedLog() throws Exception {
        var result = LogVerifier.of(new HttpTileSource(URI.create(base)), KEY.verifierKey()).verify(Optional.empty());
        assertThat(result.checkpoint().size()).isEqualTo(70_000);
        assertThat(result.bundles()).isEqualTo(274);
    }
}
