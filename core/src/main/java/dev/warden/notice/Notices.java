package dev.warden.notice;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.event.CanonicalJson;
import dev.warden.event.Check;
import dev.warden.event.Event;
import dev.warden.event.EventCodec;
import dev.warden.event.Journal;
import dev.warden.event.Rejection;
import dev.warden.event.Sha256;
import dev.warden.event.Sql;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.util.List;

/**
 * Notices to customers: rendered when a decision takes effect, stored, and delivered through an
 * outbox ({@link NoticeOutbox}). A notice names what is restricted and what is not, the clauses
 * and facts relied on, the classes of evidence used (and that customer content was not accessed),
 * whether automation took part, the source of the allegation, the dates, the data retrieval
 * window, and how and by when to appeal.
 */
public final class Notices {
    static final String CONTENT_STATEMENT = "Warden did not access customer content. This decision rests on business"
            + " records only: billing and usage quantities, contracts, support tickets and public reports.";

    private final Journal journal;

    public Notices(Journal journal) {
        this.journal = journal;
    }

    /** Renders and stores the notice of a decision that just took effect at ledger entry {@code entry}. */
    public static String issue(Journal.Context ctx, String decisionId, long entry) {
        Connection c = ctx.connection();
        List<String> d = Sql.rows(c, "SELECT decision_id, case_id, customer_id, scope, notice_at, effective_at,"
                + " retrieval_until, end_at, grounds, appeal_until, lifts FROM decision WHERE decision_id = ?", decisionId).get(0);
        String noticeId = Check.newId("ntc");
        ObjectNode n = EventCodec.JSON.createObjectNode();
        n.put("noticeId", noticeId);
        n.put("kind", d.get(10) == null ? "restriction" : "lifting");
        n.put("decisionId", decisionId);
        n.put("caseReference", d.get(1));
        n.put("customerId", d.get(2));
        n.put("customerName", Sql.one(c, "SELECT name FROM customer WHERE customer_id = ?", d.get(2)).orElse(""));
        ArrayNode restricted = n.putArray("restricted");
        for (List<String> r : Sql.rows(c, "SELECT subscription_id, services, operations, regions, state FROM restriction"
                + " WHERE decision_id = ? ORDER BY subscription_id", d.get(10) == null ? decisionId : d.get(10))) {
            ObjectNode o = restricted.addObject();
            o.put("subscriptionId", r.get(0));
            o.set("services", list(r.get(1)));
            o.set("operations", list(r.get(2)));
            o.set("regions", r.get(3).isEmpty() ? list("all") : list(r.get(3)));
            o.put("state", r.get(4));
        }
        ObjectNode unaffected = n.putObject("notAffected");
        ArrayNode subs = unaffected.putArray("subscriptions");
        for (List<String> r : Sql.rows(c, "SELECT subscription_id FROM subscription WHERE customer_id = ? AND subscription_id"
                + " NOT IN (SELECT subscription_id FROM restriction WHERE decision_id = ?) ORDER BY subscription_id",
                d.get(2), decisionId)) {
            subs.add(r.get(0));
        }
        n.set("grounds", EventCodec.JSON.valueToTree(readTree(d.get(8))));
        ArrayNode evidence = n.putArray("evidenceClasses");
        for (List<String> r : Sql.rows(c, "SELECT DISTINCT kind FROM evidence WHERE case_id = ? ORDER BY kind", d.get(1))) {
            evidence.add(r.get(0));
        }
        n.put("customerContentAccessed", false);
        n.put("statement", CONTENT_STATEMENT);
        n.put("automatedDetection", readTree(d.get(8)).path("automatedDetection").asBoolean());
        n.put("automatedDecision", "not-automated");
        ArrayNode sources = n.putArray("sourceTypes");
        for (List<String> r : Sql.rows(c, "SELECT DISTINCT r.source_type FROM report r JOIN case_report cr ON"
                + " cr.report_id = r.report_id WHERE cr.case_id = ? ORDER BY r.source_type", d.get(1))) {
            sources.add(r.get(0));
        }
        ObjectNode dates = n.putObject("dates");
        dates.put("noticeAt", d.get(4));
        dates.put("effectiveAt", d.get(5));
        dates.put("retrievalUntil", d.get(6));
        if (d.get(7) != null) {
            dates.put("endAt", d.get(7));
        }
        n.put("dataRetrieval", "Until " + d.get(6) + " you may still read and export your data in every restricted"
                + " service. Enforcement deletes nothing.");
        ObjectNode appeal = n.putObject("appeal");
        appeal.put("until", d.get(9));
        appeal.put("how", "POST /v1/appeals with {\"decisionId\": \"" + decisionId + "\", \"statement\": \"...\"}, using"
                + " your customer token. Reviewers who took no part in this decision will decide it.");
        n.put("ledgerEntry", entry);
        byte[] document = CanonicalJson.encode(n);
        Sql.update(c, "INSERT INTO notice_document (notice_id, content) VALUES (?, ?)", noticeId, document);
        ctx.emit(new Event.NoticeIssued(noticeId, decisionId, d.get(2), Sha256.hex(document), entry));
        return noticeId;
    }

    /** A notice's document, for its customer (own notices only), or for staff. */
    public byte[] document(Principal by, String noticeId) {
        Check.id("noticeId", noticeId);
        return journal.read(c -> {
            String customer = Sql.one(c, "SELECT customer_id FROM notice WHERE notice_id = ?", noticeId)
                    .orElseThrow(() -> Rejection.notFound("noticeId", "no notice \"" + noticeId + "\""));
            if (by.has(Role.CUSTOMER) && !customer.equals(by.customerId())) {
                // Another customer's notice is indistinguishable from a missing one.
                throw Rejection.notFound("noticeId", "no notice \"" + noticeId + "\"");
            }
            if (!by.has(Role.CUSTOMER)) {
                Check.role(by, Role.ANALYST, Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMIN);
            }
            try (var s = c.prepareStatement("SELECT content FROM notice_document WHERE notice_id = ?")) {
                s.setString(1, noticeId);
                try (var rs = s.executeQuery()) {
                    rs.next();
                    return rs.getBytes(1);
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("couldn't read notice: " + e.getMessage(), e);
            }
        });
    }

    /** A notice in a list: id, decision, customer, when, and how its delivery stands. */
    public record Summary(String noticeId, String decisionId, String customerId, String issuedAt, String state, int attempts) {
    }

    /** The notices a principal may see: a customer its own, staff every one (optionally of one customer). */
    public List<Summary> list(Principal by, String customerId) {
        String customer = by.has(Role.CUSTOMER) ? by.customerId() : customerId;
        if (!by.has(Role.CUSTOMER)) {
            Check.role(by, Role.ANALYST, Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMIN);
        }
        return journal.read(c -> (customer == null
                ? Sql.rows(c, "SELECT notice_id, decision_id, customer_id, issued_at, state, attempts FROM notice ORDER BY issued_at, notice_id")
                : Sql.rows(c, "SELECT notice_id, decision_id, customer_id, issued_at, state, attempts FROM notice WHERE customer_id = ?"
                        + " ORDER BY issued_at, notice_id", customer))
                .stream().map(r -> new Summary(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), Integer.parseInt(r.get(5)))).toList());
    }

    /** Sets where a customer receives notices, and the HMAC secret their webhook checks. */
    public void configureWebhook(Principal by, String customerId, String url, String secret) {
        journal.run(by, ctx -> {
            Check.role(ctx.by(), Role.ADMIN, Role.SYSTEM);
            Check.id("customerId", customerId);
            dev.warden.review.Review.requireRow(ctx.connection(), "customerId", "customer", "customer_id", customerId);
            URI uri;
            try {
                uri = URI.create(url == null ? "" : url);
            } catch (IllegalArgumentException e) {
                throw Rejection.invalid("url", "url is not a URL: " + e.getMessage());
            }
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                    || url.length() > 2048) {
                throw Rejection.invalid("url", "url must be an absolute http(s) URL of at most 2048 characters");
            }
            if (secret == null || secret.length() < 16 || secret.length() > 128) {
                throw Rejection.invalid("secret", "the webhook secret has 16 to 128 characters");
            }
            Sql.update(ctx.connection(), "DELETE FROM webhook_secret WHERE customer_id = ?", customerId);
            Sql.update(ctx.connection(), "INSERT INTO webhook_secret (customer_id, secret) VALUES (?, ?)", customerId, secret);
            return ctx.emit(new Event.WebhookConfigured(customerId, url, Sha256.hex(secret.getBytes(StandardCharsets.UTF_8))));
        });
    }

    private static ArrayNode list(String commaSeparated) {
        ArrayNode a = EventCodec.JSON.createArrayNode();
        for (String v : commaSeparated.split(",")) {
            if (!v.isEmpty()) {
                a.add(v);
            }
        }
        return a;
    }

    private static com.fasterxml.jackson.databind.JsonNode readTree(String json) {
        return CanonicalJson.parse(json.getBytes(StandardCharsets.UTF_8));
    }
}
