package dev.warden.notice;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.event.CanonicalJson;
import dev.warden.event.Event;
import dev.warden.event.EventCodec;
import dev.warden.event.Journal;
import dev.warden.event.Sql;
import dev.warden.principal.Principal;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The durable outbox of notices: every pending notice whose customer has a webhook is POSTed to
 * it, signed with HMAC-SHA256, until the webhook answers 2xx. Delivery is at least once; the
 * receiver deduplicates by {@code X-Warden-Notice-Id}. Each attempt, success or failure, is a
 * {@code notice.delivery-attempted} event; failed ones are retried with exponential backoff.
 * The payload carries the notice and a C2SP tlog-proof receipt for the decision's ledger entry.
 *
 * <p>Network calls happen outside any transaction; only their outcome is journaled.
 */
public final class NoticeOutbox {
    /** Header names of a delivery. */
    public static final String NOTICE_ID = "X-Warden-Notice-Id";
    public static final String TIMESTAMP = "X-Warden-Timestamp";
    public static final String SIGNATURE = "X-Warden-Signature";

    private final Journal journal;
    private final HttpClient http;
    private final Duration backoff;
    private final int maxAttempts;

    /**
     * @param backoff     the wait after the first failure; it doubles with each further one, up to an hour
     * @param maxAttempts attempts before a notice is left for a person to look at
     */
    public NoticeOutbox(Journal journal, Duration backoff, int maxAttempts) {
        this.journal = journal;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.backoff = backoff;
        this.maxAttempts = maxAttempts;
    }

    /** Attempts every notice that is due now; returns how many were delivered. */
    public int deliverDue() {
        Instant now = journal.clock().instant();
        List<List<String>> due = journal.read(c -> Sql.rows(c,
                "SELECT n.notice_id, n.attempts, n.decision_entry, w.url, s.secret,"
                        + " (SELECT MAX(d.at) FROM notice_delivery d WHERE d.notice_id = n.notice_id)"
                        + " FROM notice n JOIN webhook w ON w.customer_id = n.customer_id"
                        + " JOIN webhook_secret s ON s.customer_id = n.customer_id"
                        + " WHERE n.state = 'pending' AND n.attempts < ? ORDER BY n.notice_id", maxAttempts));
        int delivered = 0;
        for (List<String> row : due) {
            int attempts = Integer.parseInt(row.get(1));
            if (row.get(5) != null && now.isBefore(Instant.parse(row.get(5)).plus(wait(attempts)))) {
                continue;
            }
            if (deliver(row.get(0), attempts + 1, Long.parseLong(row.get(2)), row.get(3), row.get(4))) {
                delivered++;
            }
        }
        return delivered;
    }

    private Duration wait(int failures) {
        Duration d = backoff.multipliedBy(1L << Math.min(failures - 1, 20));
        return d.compareTo(Duration.ofHours(1)) > 0 ? Duration.ofHours(1) : d;
    }

    private boolean deliver(String noticeId, int attempt, long decisionEntry, String url, String secret) {
        byte[] document = new Notices(journal).document(Principal.SYSTEM_AUDIT, noticeId);
        ObjectNode payload = EventCodec.JSON.createObjectNode();
        payload.set("notice", CanonicalJson.parse(document));
        payload.put("receipt", journal.ledger().receipt(decisionEntry).encode());
        byte[] body = CanonicalJson.encode(payload);
        String timestamp = Long.toString(journal.clock().instant().getEpochSecond());
        int status;
        String outcome;
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                    .timeout(Duration.ofSeconds(15))
                    .header("Content-Type", "application/json")
                    .header(NOTICE_ID, noticeId)
                    .header("Idempotency-Key", noticeId)
                    .header(TIMESTAMP, timestamp)
                    .header(SIGNATURE, "sha256=" + hmac(secret, timestamp, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            HttpResponse<Void> response = http.send(request, HttpResponse.BodyHandlers.discarding());
            status = response.statusCode();
            outcome = status >= 200 && status < 300 ? "delivered" : "refused with HTTP " + status;
        } catch (java.io.IOException e) {
            status = 0;
            outcome = "unreachable: " + clip(String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        int s = status;
        String o = outcome;
        journal.run(Principal.SYSTEM, ctx -> ctx.emit(new Event.DeliveryAttempted(noticeId, attempt, s, o)));
        return status >= 200 && status < 300;
    }

    /**
     * The signature a receiver recomputes: hex HMAC-SHA256 under the webhook secret of
     * {@code <timestamp> "." <body>}, so a replayed body with another timestamp fails.
     */
    public static String hmac(String secret, String timestamp, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((timestamp + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK has no HmacSHA256", e);
        }
    }

    private static String clip(String s) {
        return s.length() > 200 ? s.substring(0, 200) : s;
    }
}
