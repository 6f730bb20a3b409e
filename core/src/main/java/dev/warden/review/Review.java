package dev.warden.review;

import dev.warden.event.Check;
import dev.warden.event.Event;
import dev.warden.event.Journal;
import dev.warden.event.Rejection;
import dev.warden.event.Sha256;
import dev.warden.event.Sql;
import dev.warden.event.Vocabulary.CaseStatus;
import dev.warden.event.Vocabulary.EvidenceKind;
import dev.warden.event.Vocabulary.SourceType;
import dev.warden.event.Wire;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;

import java.sql.Connection;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The review workflow up to a decision: reports arrive, cases are opened from them, reviewers
 * are assigned, evidence (typed business records, never customer content) is attached, and every
 * read of evidence is itself an event (access transparency).
 */
public final class Review {
    /** Evidence documents above this size are refused. */
    public static final int MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;

    /** The case status machine: from each status, where it may go. */
    public static final Map<CaseStatus, Set<CaseStatus>> TRANSITIONS = Map.of(
            CaseStatus.OPEN, EnumSet.of(CaseStatus.UNDER_REVIEW, CaseStatus.CLOSED),
            CaseStatus.UNDER_REVIEW, EnumSet.of(CaseStatus.DECISION_PROPOSED, CaseStatus.CLOSED),
            CaseStatus.DECISION_PROPOSED, EnumSet.of(CaseStatus.UNDER_REVIEW, CaseStatus.DECIDED, CaseStatus.CLOSED),
            CaseStatus.DECIDED, EnumSet.of(CaseStatus.ENFORCING, CaseStatus.UNDER_APPEAL, CaseStatus.CLOSED),
            CaseStatus.ENFORCING, EnumSet.of(CaseStatus.UNDER_APPEAL, CaseStatus.CLOSED),
            CaseStatus.UNDER_APPEAL, EnumSet.of(CaseStatus.DECIDED, CaseStatus.ENFORCING, CaseStatus.CLOSED),
            CaseStatus.CLOSED, EnumSet.noneOf(CaseStatus.class));

    private final Journal journal;

    public Review(Journal journal) {
        this.journal = journal;
    }

    /** Records an allegation; returns its id. */
    public String receiveReport(Principal by, String sourceType, String description, List<String> references,
            String customerId) {
        return journal.run(by, ctx -> {
            Check.role(ctx.by(), Role.ANALYST, Role.SYSTEM);
            SourceType source = Check.wire(SourceType.class, "sourceType", sourceType);
            Check.text("description", description, 10_000);
            List<String> refs = Check.texts("references", references, 50, 2048);
            if (customerId != null) {
                Check.id("customerId", customerId);
                requireRow(ctx.connection(), "customerId", "customer", "customer_id", customerId);
            }
            String id = Check.newId("rep");
            ctx.emit(new Event.ReportReceived(id, source, description, refs, customerId));
            return id;
        });
    }

    /** Opens a case about {@code customerId} from reports; returns its id. */
    public String openCase(Principal by, String customerId, String title, List<String> reportIds) {
        return journal.run(by, ctx -> {
            Check.role(ctx.by(), Role.ANALYST);
            Check.id("customerId", customerId);
            Check.text("title", title, 512);
            Connection c = ctx.connection();
            requireRow(c, "customerId", "customer", "customer_id", customerId);
            List<String> reports = reportIds == null ? List.of() : List.copyOf(reportIds);
            if (reports.size() > 100) {
                throw Rejection.invalid("reportIds", "a case cites at most 100 reports");
            }
            if (Set.copyOf(reports).size() != reports.size()) {
                throw Rejection.invalid("reportIds", "reportIds lists a report twice");
            }
            for (int i = 0; i < reports.size(); i++) {
                String field = "reportIds[" + i + "]";
                Check.id(field, reports.get(i));
                requireRow(c, field, "report", "report_id", reports.get(i));
                String about = Sql.one(c, "SELECT customer_id FROM report WHERE report_id = ?", reports.get(i)).orElse(null);
                if (about != null && !about.equals(customerId)) {
                    throw Rejection.invalid(field, "report \"" + reports.get(i) + "\" is about another customer");
                }
            }
            String id = Check.newId("case");
            ctx.emit(new Event.CaseOpened(id, customerId, title, reports));
            return id;
        });
    }

    /** Assigns a reviewer; the first assignment moves an open case under review. */
    public void assignReviewer(Principal by, String caseId, String reviewer, boolean outside) {
        journal.run(by, ctx -> {
            Check.role(ctx.by(), Role.ANALYST, Role.ADMIN);
            Check.principal("reviewer", reviewer);
            CaseStatus status = status(ctx.connection(), caseId);
            if (status == CaseStatus.CLOSED) {
                throw Rejection.conflict("case \"" + caseId + "\" is closed");
            }
            if (Sql.one(ctx.connection(), "SELECT 1 FROM case_reviewer WHERE case_id = ? AND reviewer = ?", caseId, reviewer)
                    .isPresent()) {
                throw Rejection.conflict("\"" + reviewer + "\" already reviews case \"" + caseId + "\"");
            }
            ctx.emit(new Event.ReviewerAssigned(caseId, reviewer, outside));
            if (status == CaseStatus.OPEN) {
                ctx.emit(new Event.CaseStatusChanged(caseId, CaseStatus.OPEN, CaseStatus.UNDER_REVIEW));
            }
            return null;
        });
    }

    /** Moves a case along its status machine. */
    public void changeStatus(Principal by, String caseId, String to) {
        journal.run(by, ctx -> {
            Check.role(ctx.by(), Role.ANALYST, Role.REVIEWER, Role.SYSTEM);
            CaseStatus target = Check.wire(CaseStatus.class, "status", to);
            CaseStatus from = status(ctx.connection(), caseId);
            requireOwnCase(ctx.connection(), ctx.by(), caseId);
            if (!TRANSITIONS.get(from).contains(target)) {
                throw Rejection.conflict("case \"" + caseId + "\" can't go from " + from.wire() + " to " + target.wire());
            }
            return ctx.emit(new Event.CaseStatusChanged(caseId, from, target));
        });
    }

    /** A reviewer of the case (or an analyst) adds a note or finding; returns its id. */
    public String addNote(Principal by, String caseId, String text) {
        return journal.run(by, ctx -> {
            Check.role(ctx.by(), Role.ANALYST, Role.REVIEWER);
            Check.text("text", text, 20_000);
            status(ctx.connection(), caseId);
            if (!ctx.by().has(Role.ANALYST) && !isReviewer(ctx.connection(), caseId, ctx.by().id())) {
                throw Rejection.forbidden("\"" + ctx.by().id() + "\" does not review case \"" + caseId + "\"");
            }
            String id = Check.newId("note");
            ctx.emit(new Event.NoteAdded(caseId, id, text));
            return id;
        });
    }

    /**
     * Attaches a business record to a case: it is stored by its SHA-256, which the event carries.
     * There is no kind for customer content, and so no way to attach it.
     */
    public String attachEvidence(Principal by, String caseId, String kind, String title, String source, byte[] content) {
        return journal.run(by, ctx -> {
            Check.role(ctx.by(), Role.ANALYST, Role.REVIEWER);
            EvidenceKind k = Check.wire(EvidenceKind.class, "kind", kind);
            Check.text("title", title, 512);
            Check.text("source", source, 512);
            if (content == null || content.length == 0) {
                throw Rejection.invalid("content", "evidence has no content");
            }
            if (content.length > MAX_EVIDENCE_BYTES) {
                throw Rejection.invalid("content", "evidence of " + content.length + " bytes is over " + MAX_EVIDENCE_BYTES);
            }
            CaseStatus status = status(ctx.connection(), caseId);
            requireOwnCase(ctx.connection(), ctx.by(), caseId);
            if (status == CaseStatus.CLOSED) {
                throw Rejection.conflict("case \"" + caseId + "\" is closed");
            }
            String sha256 = Sha256.hex(content);
            if (Sql.one(ctx.connection(), "SELECT 1 FROM evidence_blob WHERE sha256 = ?", sha256).isEmpty()) {
                Sql.update(ctx.connection(), "INSERT INTO evidence_blob (sha256, content) VALUES (?, ?)", sha256, content);
            }
            String id = Check.newId("ev");
            ctx.emit(new Event.EvidenceAttached(caseId, id, k, title, sha256, source, content.length));
            return id;
        });
    }

    /** Reads an evidence item, for a stated purpose; the read is an event before the content is returned. */
    public byte[] readEvidence(Principal by, String evidenceId, String purpose) {
        return journal.run(by, ctx -> {
            Check.role(ctx.by(), Role.ANALYST, Role.REVIEWER, Role.APPROVER, Role.AUDITOR);
            Check.id("evidenceId", evidenceId);
            Check.text("purpose", purpose, 512);
            Connection c = ctx.connection();
            String caseId = Sql.one(c, "SELECT case_id FROM evidence WHERE evidence_id = ?", evidenceId)
                    .orElseThrow(() -> Rejection.notFound("evidenceId", "no evidence \"" + evidenceId + "\""));
            if (ctx.by().roles().equals(Set.of(Role.REVIEWER)) && !isReviewer(c, caseId, ctx.by().id())) {
                throw Rejection.forbidden("\"" + ctx.by().id() + "\" does not review case \"" + caseId + "\"");
            }
            String sha256 = Sql.one(c, "SELECT sha256 FROM evidence WHERE evidence_id = ?", evidenceId).orElseThrow();
            ctx.emit(new Event.EvidenceRead(caseId, evidenceId, purpose));
            try (var s = c.prepareStatement("SELECT content FROM evidence_blob WHERE sha256 = ?")) {
                s.setString(1, sha256);
                try (var rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("evidence \"" + evidenceId + "\" has lost its content " + sha256);
                    }
                    byte[] content = rs.getBytes(1);
                    if (!Sha256.hex(content).equals(sha256)) {
                        throw new IllegalStateException("evidence \"" + evidenceId + "\" no longer matches its SHA-256");
                    }
                    return content;
                }
            } catch (java.sql.SQLException e) {
                throw new IllegalStateException("couldn't read evidence: " + e.getMessage(), e);
            }
        });
    }

    /** A principal that is only a reviewer acts only on the cases it reviews. */
    static void requireOwnCase(Connection c, Principal by, String caseId) {
        if (by.roles().equals(Set.of(Role.REVIEWER)) && !isReviewer(c, caseId, by.id())) {
            throw Rejection.forbidden("\"" + by.id() + "\" does not review case \"" + caseId + "\"");
        }
    }

    public static boolean isReviewer(Connection c, String caseId, String principal) {
        return Sql.one(c, "SELECT 1 FROM case_reviewer WHERE case_id = ? AND reviewer = ?", caseId, principal).isPresent();
    }

    public static CaseStatus status(Connection c, String caseId) {
        Check.id("caseId", caseId);
        return Sql.one(c, "SELECT status FROM review_case WHERE case_id = ?", caseId)
                .map(s -> Wire.parse(CaseStatus.class, s))
                .orElseThrow(() -> Rejection.notFound("caseId", "no case \"" + caseId + "\""));
    }

    public static void requireRow(Connection c, String field, String table, String column, String value) {
        if (Sql.one(c, "SELECT 1 FROM " + table + " WHERE " + column + " = ?", value).isEmpty()) {
            throw Rejection.notFound(field, "no " + table.replace('_', ' ') + " \"" + value + "\"");
        }
    }

}
