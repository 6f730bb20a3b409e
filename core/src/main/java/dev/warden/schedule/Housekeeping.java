package dev.warden.schedule;

import dev.warden.decision.Decisions;
import dev.warden.event.Journal;
import dev.warden.notice.NoticeOutbox;
import dev.warden.principal.Principal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The work Warden does on its own, on a timer: lapsing emergency decisions whose 72 hours have
 * passed, and delivering due notices from the outbox. Each run is a set of ordinary commands by
 * {@link Principal#SYSTEM}, so everything it does is in the ledger. One per server.
 */
public final class Housekeeping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Housekeeping.class);

    private final Decisions decisions;
    private final NoticeOutbox outbox;
    private final ScheduledExecutorService timer;

    private Housekeeping(Journal journal, Duration every) {
        this.decisions = new Decisions(journal);
        this.outbox = new NoticeOutbox(journal, Duration.ofSeconds(30), 10);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "warden-housekeeping");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::runOnce, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Starts running every {@code every}. */
    public static Housekeeping start(Journal journal, Duration every) {
        return new Housekeeping(journal, every);
    }

    /** One round; failures are logged and retried next round, never thrown. */
    public void runOnce() {
        try {
            int lapsed = decisions.lapseDue(Principal.SYSTEM);
            if (lapsed > 0) {
                LOG.info("lapsed {} emergency decision(s) without a second approval", lapsed);
            }
        } catch (RuntimeException e) {
            LOG.warn("couldn't lapse emergency decisions: {}", e.getMessage());
        }
        try {
            int delivered = outbox.deliverDue();
            if (delivered > 0) {
                LOG.info("delivered {} notice(s)", delivered);
            }
        } catch (RuntimeException e) {
            LOG.warn("couldn't deliver notices: {}", e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
