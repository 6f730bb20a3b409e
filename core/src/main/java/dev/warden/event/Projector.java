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
            "evidence_access ORDER BY event_idx");

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
                    e.reportId(), e.sourceType().wire(), e.description(), String.join("\n", e.references()),
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
        }
    }
}
