package dev.warden.storage;

import dev.warden.ledger.Ledger;
import dev.warden.ledger.note.SignerKey;

import java.nio.charset.StandardCharsets;

/**
 * The child process of {@link CrashSafetyTest}: appends from several threads into the log in the
 * database at {@code args[0]} (a SQLite directory or a PostgreSQL URL) until it is killed, printing {@code <index> <entry>} for every append
 * once it has been acknowledged as durable. The signing key comes from the environment.
 */
public final class CrashAppender {
    public static void main(String[] args) throws Exception {
        String run = args[1];
        SignerKey key = SignerKey.parse(System.getenv("WARDEN_TEST_KEY"));
        Database db = TestDatabases.open(args[0]);
        Ledger ledger = Ledger.open(new SqlLogStorage(db), key);
        System.out.println("ready");
        System.out.flush();
        int threads = 8;
        for (int t = 0; t < threads; t++) {
            int thread = t;
            Thread.ofPlatform().start(() -> {
                for (int i = 0; ; i++) {
                    String entry = "run-" + run + "-thread-" + thread + "-" + i;
                    long index = ledger.append(entry.getBytes(StandardCharsets.UTF_8));
                    synchronized (System.out) {
                        System.out.println(index + " " + entry);
                        System.out.flush();
                    }
                }
            });
        }
        Thread.sleep(Long.MAX_VALUE);
    }
}
