package dev.warden.event;

import dev.warden.event.Event.CaseOpened;
import dev.warden.event.Event.CaseStatusChanged;
import dev.warden.event.Event.CustomerRegistered;
import dev.warden.event.Event.EvidenceAttached;
import dev.warden.event.Event.EvidenceRead;
import dev.warden.event.Event.NoteAdded;
import dev.warden.event.Event.RegionRegistered;
import dev.warden.event.Event.ReportReceived;
import dev.warden.event.Event.ReviewerAssigned;
import dev.warden.event.Event.ServiceRegistered;
import dev.warden.event.Event.SubscriptionRegistered;
import dev.warden.principal.Principal;

import java.sql.Connection;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Applies events to the SQL projections. The same code runs live (inside a command's
 * transaction) and in {@code audit replay}, so the replayed state equals the live one.
 * It trusts the event: commands validate before they emit.
 */
public final class Projector {
    /** The projection tables with their key columns, in digest order. */
    public static final List<String> TABLES = List.of(
            "customer ORDER BY customer_id",
            "subscription ORDER BY subscription_id",
            "service ORDER BY service",
            "region ORDER BY region",
            "report ORDER BY report_id",
            "review_case ORDER BY case_id",
            "case_report ORDER BY case_id, report_id",
            "case_reviewer ORDER BY case_id, reviewer",
            "case_note ORDER BY note_id",
            "evidence ORDER BY evidence_id",
            "evidence_access ORDER BY event_idx",
            "api_token ORDER BY token_id",
            "decision ORDER BY decision_id",
            "decision_approval ORDER BY decision_id, approver",
            "restriction ORDER BY restriction_id",
            "webhook ORDER BY customer_id",
            "notice ORDER BY notice_id",
            "notice_delivery ORDER BY event_idx",
            "appeal ORDER BY appeal_id",
            "finding ORDER BY finding_id");

    private Projector() {
    }

    public static void apply(Connection c, long idx, EventCodec.Body body) {
        String at = body.at().toString();
        Principal by = body.by();
        switch (body.event()) {
            case CustomerRegistered e -> Sql.update(c,
                    "INSERT INTO customer (customer_id, name, customer_type, country, event_idx) VALUES (?, ?, ?, ?, ?)",
                    e.customerId(), e.name(), e.customerType().wire(), e.country(), idx);
            case SubscriptionRegistered e -> Sql.update(c,
                    "INSERT INTO subscription (subscription_id, customer_id, name, event_idx) VALUES (?, ?, ?, ?)",
                    e.subscriptionId(), e.customerId(), e.name(), idx);
            case ServiceRegistered e -> Sql.update(c,
                    "INSERT INTO service (service, category, operations, event_idx) VALUES (?, ?, ?, ?)",
                    e.service(), e.category(),
                    e.operations().stream().map(Vocabulary.Operation::wire).collect(Collectors.joining(",")), idx);
            case RegionRegistered e -> Sql.update(c,
                    "INSERT INTO region (region, name, event_idx) VALUES (?, ?, ?)", e.region(), e.name(), idx);
            case ReportReceived e -> Sql.update(c,
                    "INSERT INTO report (report_id, source_type, description, refs, customer_id, received_at, received_by,"
                            + " event_idx) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    e.reportId(), e.sourceType().wire(), e.description(), json(e.references()),
                    e.customerId(), at, by.id(), idx);
            case CaseOpened e -> {
                Sql.update(c, "INSERT INTO review_case (case_id, customer_id, title, status, opened_at, opened_by, event_idx)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?)",
                        e.caseId(), e.customerId(), e.title(), Vocabulary.CaseStatus.OPEN.wire(), at, by.id(), idx);
                for (String report : e.reportIds()) {
                    Sql.update(c, "INSERT INTO case_report (case_id, report_id) VALUES (?, ?)", e.caseId(), report);
                }
            }
            case ReviewerAssigned e -> Sql.update(c,
                    "INSERT INTO case_reviewer (case_id, reviewer, outside, assigned_at, assigned_by) VALUES (?, ?, ?, ?, ?)",
                    e.caseId(), e.reviewer(), e.outside() ? 1 : 0, at, by.id());
            case CaseStatusChanged e -> Sql.update(c,
                    "UPDATE review_case SET status = ? WHERE case_id = ?", e.to().wire(), e.caseId());
            case NoteAdded e -> Sql.update(c,
                    "INSERT INTO case_note (note_id, case_id, author, text, added_at, event_idx) VALUES (?, ?, ?, ?, ?, ?)",
                    e.noteId(), e.caseId(), by.id(), e.text(), at, idx);
            case EvidenceAttached e -> Sql.update(c,
                    "INSERT INTO evidence (evidence_id, case_id, kind, title, sha256, source, bytes, attached_by, attached_at,"
                            + " event_idx) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    e.evidenceId(), e.caseId(), e.kind().wire(), e.title(), e.sha256(), e.source(), e.bytes(), by.id(), at, idx);
            case EvidenceRead e -> Sql.update(c,
                    "INSERT INTO evidence_access (event_idx, evidence_id, principal, purpose, at) VALUES (?, ?, ?, ?, ?)",
                    idx, e.evidenceId(), by.id(), e.purpose(), at);
            case Event.TokenIssued e -> Sql.update(c,
                    "INSERT INTO api_token (token_id, principal_id, roles, customer_id, secret_sha256, expires_at, revoked,"
                            + " issued_at, issued_by) VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?)",
                    e.tokenId(), e.principalId(), e.roles().stream().map(dev.warden.principal.Role::wire)
                            .collect(Collectors.joining(",")), e.customerId(), e.secretSha256(),
                    e.expiresAt().toString(), at, by.id());
            case Event.TokenRevoked e -> Sql.update(c, "UPDATE api_token SET revoked = 1 WHERE token_id = ?", e.tokenId());
            case Event.DecisionProposed e -> Sql.update(c,
                    "INSERT INTO decision (decision_id, case_id, customer_id, scope, notice_at, effective_at, retrieval_until,"
                            + " end_at, grounds, reason_code, lifts, appeal_until, state, lapses_at, proposed_by, proposed_at,"
                            + " event_idx) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'proposed', NULL, ?, ?, ?)",
                    e.decisionId(), e.caseId(), e.customerId(), json(e.scope()), e.timeline().noticeAt().toString(),
                    e.timeline().effectiveAt().toString(), e.timeline().retrievalUntil().toString(),
                    e.timeline().endAt() == null ? null : e.timeline().endAt().toString(), json(e.grounds()),
                    e.reasonCode(), e.lifts(), e.appealUntil().toString(), by.id(), at, idx);
            case Event.DecisionApproved e -> Sql.update(c,
                    "INSERT INTO decision_approval (decision_id, approver, at, event_idx) VALUES (?, ?, ?, ?)",
                    e.decisionId(), e.approver(), at, idx);
            case Event.EmergencyApplied e -> Sql.update(c,
                    "UPDATE decision SET state = 'emergency', lapses_at = ? WHERE decision_id = ?",
                    e.lapsesAt().toString(), e.decisionId());
            case Event.DecisionTookEffect e -> {
                Sql.update(c, "UPDATE decision SET state = 'effective', lapses_at = NULL WHERE decision_id = ?",
                        e.decisionId());
                for (Event.Restriction r : e.restrictions()) {
                    Sql.update(c, "INSERT INTO restriction (restriction_id, decision_id, case_id, subscription_id, services,"
                                    + " operations, regions, carve_outs, notice_at, effective_at, retrieval_until, end_at,"
                                    + " reason_code, state, event_idx) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'active', ?)",
                            r.restrictionId(), e.decisionId(), r.caseId(), r.subscriptionId(), String.join(",", r.services()),
                            r.operations().stream().map(Vocabulary.Operation::wire).collect(Collectors.joining(",")),
                            String.join(",", r.regions()), String.join(",", r.carveOuts()),
                            r.timeline().noticeAt().toString(), r.timeline().effectiveAt().toString(),
                            r.timeline().retrievalUntil().toString(),
                            r.timeline().endAt() == null ? null : r.timeline().endAt().toString(), r.reasonCode(), idx);
                }
            }
            case Event.EmergencyConfirmed e -> Sql.update(c,
                    "UPDATE decision SET state = 'effective', lapses_at = NULL WHERE decision_id = ?", e.decisionId());
            case Event.DecisionLapsed e -> {
                Sql.update(c, "UPDATE decision SET state = 'lapsed' WHERE decision_id = ?", e.decisionId());
                Sql.update(c, "UPDATE restriction SET state = 'lapsed' WHERE decision_id = ?", e.decisionId());
            }
            case Event.RestrictionNarrowed e -> {
                String services = Sql.one(c, "SELECT services FROM restriction WHERE restriction_id = ?", e.restrictionId())
                        .orElse("");
                java.util.TreeSet<String> left = new java.util.TreeSet<>(List.of(services.split(",")));
                left.remove("");
                if (e.services().isEmpty()) {
                    left.clear();
                } else {
                    e.services().forEach(left::remove);
                }
                Sql.update(c, "UPDATE restriction SET services = ?, state = ? WHERE restriction_id = ?",
                        String.join(",", left), left.isEmpty() ? "lifted" : "active", e.restrictionId());
            }
            case Event.WebhookConfigured e -> {
                Sql.update(c, "DELETE FROM webhook WHERE customer_id = ?", e.customerId());
                Sql.update(c, "INSERT INTO webhook (customer_id, url, secret_sha256, event_idx) VALUES (?, ?, ?, ?)",
                        e.customerId(), e.url(), e.secretSha256(), idx);
            }
            case Event.NoticeIssued e -> Sql.update(c,
                    "INSERT INTO notice (notice_id, decision_id, customer_id, sha256, decision_entry, issued_at, state,"
                            + " attempts, event_idx) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?)",
                    e.noticeId(), e.decisionId(), e.customerId(), e.sha256(), e.decisionEntry(), at, idx);
            case Event.DeliveryAttempted e -> {
                Sql.update(c, "INSERT INTO notice_delivery (event_idx, notice_id, attempt, status, outcome, at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)", idx, e.noticeId(), e.attempt(), e.status(), e.outcome(), at);
                Sql.update(c, "UPDATE notice SET attempts = ?, state = ? WHERE notice_id = ?", e.attempt(),
                        e.status() >= 200 && e.status() < 300 ? "delivered" : "pending", e.noticeId());
            }
            case Event.AppealFiled e -> Sql.update(c,
                    "INSERT INTO appeal (appeal_id, decision_id, statement, filed_by, filed_at, state, event_idx)"
                            + " VALUES (?, ?, ?, ?, ?, 'filed', ?)", e.appealId(), e.decisionId(), e.statement(), by.id(), at, idx);
            case Event.AppealAssigned e -> Sql.update(c,
                    "UPDATE appeal SET state = 'assigned', reviewer = ? WHERE appeal_id = ?", e.reviewer(), e.appealId());
            case Event.AppealDecided e -> Sql.update(c,
                    "UPDATE appeal SET state = 'decided', outcome = ?, reasons = ?, decided_at = ? WHERE appeal_id = ?",
                    e.outcome(), e.reasons(), at, e.appealId());
            case Event.FindingRecorded e -> Sql.update(c,
                    "INSERT INTO finding (finding_id, pack, pack_version, rule_id, rule_hash, severity, clause, subject_type,"
                            + " subject_id, customer_id, window_start, window_end, evidence, recorded_at, event_idx)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    e.findingId(), e.pack(), e.packVersion(), e.ruleId(), e.ruleHash(), e.severity(), e.clause(),
                    e.subjectType(), e.subjectId(), e.customerId(), e.windowStart().toString(), e.windowEnd().toString(),
                    json(e.evidence()), at, idx);
            case Event.FindingAttached e -> Sql.update(c,
                    "UPDATE finding SET case_id = ? WHERE finding_id = ?", e.caseId(), e.findingId());
        }
    }

    private static String json(Object value) {
        return CanonicalJson.encodeToString(EventCodec.JSON.valueToTree(value));
    }
}
