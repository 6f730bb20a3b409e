package dev.warden.ledger.verifier;

import dev.warden.ledger.tile.TileId;

import java.io.IOException;
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

    @Override
    public String checkpoint() throws IOException {
        return new String(get(prefix + "/checkpoint"), StandardCharsets.UTF_8);
    }

    @Override
    public byte[] tile(TileId id) throws IOException {
        return get(prefix + "/" + id.path());
    }

    private byte[] get(String url) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET().build();
        HttpResponse<byte[]> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + url, e);
        }
        if (response.statusCode() != 200) {
            throw new IOException("GET " + url + " answered " + response.statusCode());
        }
        return response.body();
    }
}
