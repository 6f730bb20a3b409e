package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.access.Tokens;
import dev.warden.event.Journal;
import dev.warden.ledger.note.SignerKey;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;
import dev.warden.storage.Database;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Set;

/**
 * A real API server for tests: SQLite in a temporary directory, a journal on a clock the test
 * moves, the server on a free port, and a real HTTP client.
 */
final class ApiServer implements AutoCloseable {
    static final SignerKey KEY = SignerKey.generate("api.warden.local/log");

    final Database db;
    final Journal journal;
    final WardenServer server;
    final TestClock clock = new TestClock(Instant.parse("2026-03-01T09:00:00Z"));
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    ApiServer(Path dir) {
        this(Database.sqlite(dir));
    }

    /** Over {@code db}, which the server then owns and closes. */
    ApiServer(Database db) {
        this.db = db;
        journal = Journal.open(db, KEY, clock);
        server = WardenServer.start(journal, "127.0.0.1", 0);
    }

    /** The secret of a new token for {@code principalId} with {@code roles}, valid for a day. */
    String token(String principalId, Role... roles) {
        return new Tokens(journal).issue(Principal.SYSTEM, principalId, Set.of(roles), null, Duration.ofDays(1)).secret();
    }

    String customerToken(String principalId, String customerId) {
        return new Tokens(journal).issue(Principal.SYSTEM, principalId, Set.of(Role.CUSTOMER), customerId, Duration.ofDays(1))
                .secret();
    }

    long ledgerSize() {
        return journal.ledger().size();
    }

    URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    Reply get(String path, String token) {
        return send("GET", path, token, null, null);
    }

    Reply delete(String path, String token) {
        return send("DELETE", path, token, null, null);
    }

    Reply post(String path, String token, String json) {
        return send("POST", path, token, "application/json", json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    Reply send(String method, String path, String token, String contentType, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (body != null && body.length > 64 * 1024) {
            // RFC 9110 §10.1.1: a large body waits for 100 Continue, so a server that refuses it
            // (413) answers before the client has sent it, instead of resetting the connection.
            b.expectContinue(true);
        }
        return send(b.build());
    }

    Reply send(HttpRequest request) {
        try {
            HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Reply(r.statusCode(), r, r.body());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A response, with its body as bytes, text or JSON. */
    record Reply(int status, HttpResponse<byte[]> response, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        JsonNode json() {
            try {
                return ApiJson.MAPPER.readTree(body);
            } catch (IOException e) {
                throw new IllegalStateException("not JSON: " + text(), e);
            }
        }

        String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }

        /** The media type without parameters or whitespace. */
        String mediaType() {
            String ct = header("Content-Type");
            return ct == null ? null : ct.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return status + " " + text();
        }
    }

    /** A clock that stands still until a test moves it. */
    static final class TestClock extends Clock {
        private volatile Instant now;

        TestClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @Override
    public void close() {
        server.close();
        journal.close();
        db.close();
    }
}
