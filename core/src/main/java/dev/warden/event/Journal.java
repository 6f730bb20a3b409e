package dev.warden.event;

import dev.warden.ledger.Ledger;
import dev.warden.ledger.note.SignerKey;
import dev.warden.principal.Principal;
import dev.warden.storage.Database;
import dev.warden.storage.SqlLogStorage;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.function.Function;

/**
 * Where every change of state happens: a command reads the current state, validates, and emits
 * events; each event's envelope is appended to the ledger, its private body stored, and its
 * projection applied, all in the ledger batch's one transaction (DESIGN.md, "One principle").
 * A command that throws leaves nothing behind.
 *
 * <p>Thread-safe: commands run one at a time on the ledger's sequencer, in submission order, so
 * two commands racing on the same state see each other's effects.
 */
public final class Journal implements AutoCloseable {
    private final Database database;
    private final Ledger ledger;
    private final Clock clock;

    private Journal(Database database, Ledger ledger, Clock clock) {
        this.database = database;
        this.ledger = ledger;
        this.clock = clock;
    }

    public static Journal open(Database database, SignerKey key) {
        return open(database, key, Clock.systemUTC());
    }

    /** With a {@code clock} of the caller's, for tests of time-bound rules. */
    public static Journal open(Database database, SignerKey key, Clock clock) {
        return new Journal(database, Ledger.open(new SqlLogStorage(database), key), clock);
    }

    /** A command: reads state through the context, validates, emits events, returns a result. */
    @FunctionalInterface
    public interface Command<T> {
        T run(Context ctx);
    }

    /** What a command sees: the transaction, the time, the principal, and where to emit. */
    public interface Context {
        Connection connection();

        /** The command's time, to the second; every event it emits carries it. */
        Instant now();

        Principal by();

        /** Appends {@code event} and applies it; returns its ledger index. */
        long emit(Event event);
    }

    /**
     * Runs {@code command} for {@code by} and waits until its events are durable.
     *
     * @throws Rejection if the command refused; nothing was written
     */
    public <T> T run(Principal by, Command<T> command) {
        return ledger.execute(log -> {
            Connection c = (Connection) log.handle();
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            return command.run(new Context() {
                @Override
                public Connection connection() {
                    return c;
                }

                @Override
                public Instant now() {
                    return now;
                }

                @Override
                public Principal by() {
                    return by;
                }

                @Override
                public long emit(Event event) {
                    EventCodec.Sealed sealed = EventCodec.seal(event, now, by);
                    long idx = log.append(sealed.envelope().encode());
                    Sql.update(c, "INSERT INTO event_body (idx, type, at, principal, salt, body) VALUES (?, ?, ?, ?, ?, ?)",
                            idx, event.type(), now.toString(), by.id(), sealed.salt(), sealed.body());
                    Projector.apply(c, idx, new EventCodec.Body(now, by, event));
                    return idx;
                }
            });
        });
    }

    /** Reads the current state, outside any command. */
    public <T> T read(Function<Connection, T> query) {
        try (Connection c = database.dataSource().getConnection()) {
            return query.apply(c);
        } catch (SQLException e) {
            throw new IllegalStateException("couldn't read the database: " + e.getMessage(), e);
        }
    }

    public Ledger ledger() {
        return ledger;
    }

    public Database database() {
        return database;
    }

    public Clock clock() {
        return clock;
    }

    /** Closes the ledger; the database belongs to the caller. */
    @Override
    public void close() {
        ledger.close();
    }
}
