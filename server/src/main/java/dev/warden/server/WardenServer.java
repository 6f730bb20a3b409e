package dev.warden.server;

import dev.warden.event.Journal;
import dev.warden.ledger.Ledger;
import dev.warden.ledger.tile.TileId;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Warden's HTTP server. It serves the ledger as C2SP tlog-tiles under {@link #LOG_PREFIX}:
 * {@code /log/checkpoint}, hash tiles {@code /log/tile/<L>/<N>[.p/<W>]} and entry bundles
 * {@code /log/tile/entries/<N>[.p/<W>]}, and announces new checkpoints as server-sent events at
 * {@code /log/watch} ({@link Watch}). Started on a {@link Journal}, it also serves the JSON API
 * under {@link #API_PREFIX}, for bearer tokens, and its OpenAPI 3.1 description at
 * {@link #OPENAPI_PATH}. Errors are RFC 9457 problem+json.
 *
 * <p>Thread-safe; start once, stop once.
 */
public final class WardenServer implements AutoCloseable {
    /** Where the log lives under the server's root: the tlog-tiles prefix is {@code http://host:port/log}. */
    public static final String LOG_PREFIX = "/log";
    /** Where the JSON API lives; every route under it needs a bearer token. */
    public static final String API_PREFIX = Api.PREFIX;
    /** The API's OpenAPI 3.1 document, served without a token. */
    public static final String OPENAPI_PATH = Api.OPENAPI_PATH;

    private static final Logger LOG = LoggerFactory.getLogger(WardenServer.class);

    private static final String IMMUTABLE = "public, max-age=31536000, immutable";
    private static final long SYNC_INTERVAL_NANOS = 1_000_000_000L;

    private final Javalin app;
    private final Watch watch;

    private WardenServer(Javalin app, Watch watch) {
        this.app = app;
        this.watch = watch;
    }

    /**
     * Starts serving {@code ledger} as tlog-tiles, and nothing else, on {@code host}:{@code port}
     * ({@code port} 0 picks a free one).
     */
    public static WardenServer start(Ledger ledger, String host, int port) {
        return start(ledger, null, host, port);
    }

    /**
     * Starts serving the JSON API over {@code journal}, its OpenAPI document, and the journal's
     * ledger as tlog-tiles, on {@code host}:{@code port} ({@code port} 0 picks a free one). The
     * journal stays the caller's to close, after the server.
     */
    public static WardenServer start(Journal journal, String host, int port) {
        return start(journal.ledger(), journal, host, port);
    }

    private static WardenServer start(Ledger ledger, Journal journal, String host, int port) {
        AtomicLong lastSync = new AtomicLong(System.nanoTime());
        Runnable syncOthers = () -> syncOthers(ledger, lastSync);
        Watch watch = new Watch(ledger, syncOthers);
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jetty.host = host;
            config.jetty.port = port;
            config.jsonMapper(new JavalinJackson(ApiJson.MAPPER, false));
            config.routes.get(LOG_PREFIX + "/checkpoint", ctx -> checkpoint(ctx, ledger, syncOthers));
            config.routes.get(LOG_PREFIX + "/tile/<path>", ctx -> tile(ctx, ledger));
            config.routes.get(Watch.PATH, watch::handle);
            if (journal != null) {
                byte[] openApi = openApiDocument();
                config.routes.get(OPENAPI_PATH, ctx -> {
                    ctx.header("Cache-Control", "no-cache");
                    ctx.contentType("application/json");
                    ctx.result(openApi);
                });
                Api.install(config, journal, watch);
            }
            config.routes.exception(BadRequest.class, (e, ctx) ->
                    problem(ctx, HttpStatus.BAD_REQUEST, "Bad request", e.getMessage()));
            config.routes.exception(Exception.class, (e, ctx) -> {
                String request;
                try {
                    request = ctx.method() + " " + ctx.path();
                } catch (RuntimeException recycled) {
                    // The client left and Jetty recycled the request (a watch stream, say): nobody to answer.
                    LOG.debug("a request failed after its client left: {}", e.toString());
                    return;
                }
                // The client learns an incident id, never the exception; the log has the rest.
                String incident = UUID.randomUUID().toString();
                LOG.error("incident {}: {} failed", incident, request, e);
                problem(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                        "the server failed to answer; see its log for incident " + incident);
            });
            config.routes.error(404, "*", ctx -> {
                if (ctx.attribute(Problem.MEDIA_TYPE) == null) { // a handler's own problem stands
                    problem(ctx, HttpStatus.NOT_FOUND, "Not found", "nothing is served at " + ctx.path());
                }
            });
        });
        app.start();
        return new WardenServer(app, watch);
    }

    /** The port the server listens on. */
    public int port() {
        return app.port();
    }

    /**
     * Picks up appends made by another writer on the same database (such as
     * {@code warden ledger append}), at most once a second however many requests ask.
     */
    private static void syncOthers(Ledger ledger, AtomicLong lastSync) {
        long now = System.nanoTime();
        long last = lastSync.get();
        if (now - last > SYNC_INTERVAL_NANOS && lastSync.compareAndSet(last, now)) {
            ledger.sync();
        }
    }

    /**
     * tlog-tiles §Checkpoint: plain UTF-8 text, which changes with every append, so caches keep it
     * briefly. It first picks up appends by other writers (at most once a second).
     */
    private static void checkpoint(Context ctx, Ledger ledger, Runnable syncOthers) {
        syncOthers.run();
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType("text/plain; charset=utf-8");
        ctx.result(ledger.checkpoint().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * tlog-tiles §Hash tiles and §Entry bundles: binary, immutable once full. A tile beyond the
     * latest checkpoint is 404: empty tiles are never served.
     */
    private static void tile(Context ctx, Ledger ledger) {
        TileId id;
        try {
            id = TileId.parse("tile/" + ctx.pathParam("path"));
        } catch (IllegalArgumentException e) {
            throw new BadRequest(e.getMessage());
        }
        Optional<byte[]> data = ledger.tile(id);
        if (data.isEmpty()) {
            problem(ctx, HttpStatus.NOT_FOUND, "Tile not found",
                    id.path() + " is beyond the log's latest checkpoint at size " + ledger.size());
            return;
        }
        // A full tile never changes; a partial one of a given width never changes either, but it may
        // stop being served once the tile is full, so only full tiles are marked immutable.
        ctx.header("Cache-Control", id.full() ? IMMUTABLE : "no-cache");
        ctx.contentType("application/octet-stream");
        ctx.result(data.get());
    }

    /** A request that is malformed: answered 400 with what is wrong. Anything else unexpected is a 500. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    /** RFC 9457 problem details. */
    static void problem(Context ctx, HttpStatus status, String title, String detail) {
        Problem.write(ctx, status, title, detail, null);
    }

    private static byte[] openApiDocument() {
        try (InputStream in = WardenServer.class.getResourceAsStream("openapi.json")) {
            if (in == null) {
                throw new IllegalStateException("couldn't find openapi.json beside " + WardenServer.class.getName());
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("couldn't read openapi.json: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        watch.close();
        app.stop();
    }
}
