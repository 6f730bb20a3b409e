package dev.warden.server;

import dev.warden.ledger.Ledger;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseClient;
import io.javalin.http.sse.SseHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Push propagation: {@code GET /log/watch} is a server-sent event stream (WHATWG HTML §9.2) that
 * announces every new checkpoint, so followers fetch the new entries at once instead of polling.
 *
 * <p>Each event is {@code event: checkpoint}, {@code id: <tree size>}, and the signed checkpoint
 * note as its data, one {@code data:} line per note line. The first event is the checkpoint at
 * connect time. Announcements are coalesced: a slow client gets the latest checkpoint, not every
 * one in between, which is all a follower needs because it verifies everything since its last
 * accepted size. A comment line every {@link #HEARTBEAT} keeps idle connections (and the proxies
 * in between) open and lets the server notice clients that went away.
 *
 * <p>Nothing on the stream needs trust: a follower verifies the note's signature and the entries
 * as if it had fetched the checkpoint itself.
 */
final class Watch {
    static final String PATH = WardenServer.LOG_PREFIX + "/watch";
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /** Open streams at most; each holds a connection and a virtual thread. */
    static final int MAX_WATCHERS = 1024;
    private static final Duration SLICE = Duration.ofSeconds(1);
    private static final Logger LOG = LoggerFactory.getLogger(Watch.class);

    private final Ledger ledger;
    private final Runnable syncOthers;
    private final Semaphore slots = new Semaphore(MAX_WATCHERS);
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean closed;

    /**
     * @param syncOthers picks up appends by another writer on the same store; called about once a
     *                   second while streams wait, so that those appends are announced too
     */
    Watch(Ledger ledger, Runnable syncOthers) {
        this.ledger = ledger;
        this.syncOthers = syncOthers;
    }

    /** The route's handler: refuses beyond {@link #MAX_WATCHERS}, otherwise streams until the client leaves. */
    void handle(Context ctx) throws Exception {
        String accept = ctx.header("Accept");
        if (accept == null || !accept.contains("text/event-stream")) {
            WardenServer.problem(ctx, HttpStatus.NOT_ACCEPTABLE, "Not acceptable",
                    PATH + " is a server-sent event stream: ask with \"Accept: text/event-stream\"");
            return;
        }
        if (!slots.tryAcquire()) {
            ctx.header("Retry-After", "5");
            WardenServer.problem(ctx, HttpStatus.SERVICE_UNAVAILABLE, "Too many watchers",
                    "this server already streams to " + MAX_WATCHERS + " watchers; poll " + WardenServer.LOG_PREFIX
                            + "/checkpoint or retry later");
            return;
        }
        // SseHandler also sets Cache-Control: no-cache, and X-Accel-Buffering: no for buffering proxies.
        new SseHandler(client -> {
            client.keepAlive();
            Thread.ofVirtual().name("warden-watch").start(() -> stream(client));
        }).handle(ctx);
    }

    /** Streams checkpoints to one client; a write to a client that left ends it. */
    private void stream(SseClient client) {
        try {
            long announced = -1;
            long idleNanos = 0;
            while (!closed && !client.terminated()) {
                long before = System.nanoTime();
                long size = ledger.awaitGrowth(announced, SLICE);
                if (size > announced) {
                    String note = ledger.checkpoint();
                    long noteSize = sizeOf(note);
                    client.sendEvent("checkpoint", note, Long.toString(noteSize));
                    sent.incrementAndGet();
                    announced = noteSize;
                    idleNanos = 0;
                } else {
                    syncOthers.run();
                    idleNanos += System.nanoTime() - before;
                    if (idleNanos >= HEARTBEAT.toNanos()) {
                        client.sendComment("keep-alive");
                        idleNanos = 0;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.debug("watch stream ended: {}", e.toString());
        } finally {
            slots.release();
            client.close();
        }
    }

    /** The tree size on a checkpoint's second line (C2SP tlog-checkpoint §Note text). */
    private static long sizeOf(String note) {
        int a = note.indexOf('\n');
        return Long.parseLong(note.substring(a + 1, note.indexOf('\n', a + 1)));
    }

    /** Ends every stream within a second: called when the server stops. */
    void close() {
        closed = true;
    }

    /** Open streams now. */
    int watchers() {
        return MAX_WATCHERS - slots.availablePermits();
    }

    /** Checkpoint announcements sent since start, over all streams. */
    long announcements() {
        return sent.get();
    }
}
