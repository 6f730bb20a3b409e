package dev.warden.ledger.verifier;

import dev.warden.ledger.tile.TileId;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Reads a log over HTTP from a tlog-tiles prefix URL, with the JDK's HTTP client. */
public final class HttpTileSource implements TileSource {
    private final String prefix;
    private final HttpClient client;

    public HttpTileSource(URI prefix) {
        String p = prefix.toString();
        this.prefix = p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        this.client = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    /** A checkpoint is a few lines; allow for many cosignatures and extensions. */
    private static final int MAX_CHECKPOINT = 1 << 20;
    /** A full hash tile is 8,192 bytes. */
    private static final int MAX_TILE = TileId.FULL * 32;
    /** A full entry bundle: 256 entries of at most 2 + 65,535 bytes. */
    private static final int MAX_BUNDLE = TileId.FULL * (2 + 0xFFFF);

    @Override
    public String checkpoint() throws IOException {
        return new String(get(prefix + "/checkpoint", MAX_CHECKPOINT), StandardCharsets.UTF_8);
    }

    @Override
    public byte[] tile(TileId id) throws IOException {
        return get(prefix + "/" + id.path(), id.entries() ? MAX_BUNDLE : MAX_TILE);
    }

    /** Fetches {@code url}, reading at most {@code limit} bytes, so a hostile server cannot exhaust memory. */
    private byte[] get(String url, int limit) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build();
        HttpResponse<InputStream> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + url, e);
        }
        try (InputStream body = response.body()) {
            if (response.statusCode() != 200) {
                throw new IOException("GET " + url + " answered " + response.statusCode());
            }
            byte[] data = body.readNBytes(limit + 1);
            if (data.length > limit) {
                throw new IOException("GET " + url + " answered more than " + limit + " bytes");
            }
            return data;
        }
    }
}
