package dev.warden.decision;

import dev.warden.event.Check;
import dev.warden.event.Event;
import dev.warden.event.Event.Grounds;
import dev.warden.event.Event.Restriction;
import dev.warden.event.Event.Scope;
import dev.warden.event.Event.Timeline;
import dev.warden.event.Journal;
import dev.warden.event.Rejection;
import dev.warden.event.Sql;
import dev.warden.event.Vocabulary.CaseStatus;
import dev.warden.event.Vocabulary.Operation;
import dev.warden.inventory.Inventory;
import dev.warden.notice.Notices;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;
import dev.warden.review.Review;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Decisions: a proportionate, scoped action on a case's customer, with its timeline and grounds.
 * It takes effect after two approvals by two approvers, neither its proposer (enforced here, on
 * the server), or at once on the emergency path, lapsing after 72 hours unless a second approval
 * arrives. A decision that takes effect yields restrictions, one per subscription, and a notice.
 * A lifting decision narrows the restrictions of an earlier one instead.
 */
public final class Decisions {
    /** How long an emergency decision stands without a second approval. */
    public static final Duration EMERGENCY_LAPSE = Duration.ofHours(72);
    /** How long a customer may appeal, from the notice, unless the proposal says otherwise. */
    public static final Duration DEFAULT_APPEAL_WINDOW = Duration.ofDays(30);

    private final Journal journal;

    public Decisions(Journal journal) {
        this.journal = journal;
    }

    /** What a proposer submits. {@code lifts} names an earlier decision to lift within {@code scope}, or is null. */
    public record Proposal(String caseId, Scope scope, Timeline timeline, Grounds grounds, String reasonCode,
            String lifts, Duration appealWindow) {
    }

    /** Proposes a decision on a case; returns its id. */
    public String propose(Principal by, Proposal p) {
        return journal.run(by, ctx -> {
            Check.role(ctx.by(), Role.ANALYST, Role.REVIEWER);
            Connection c = ctx.connection();
            CaseStatus status = Review.status(c, p.caseId());
            if (status != CaseStatus.OPEN && status != CaseStatus.UNDER_REVIEW && status != CaseStatus.DECIDED
                    && status != CaseStatus.ENFORCING) {
                throw Rejection.conflict("case \"" + p.caseId() + "\" is " + status.wire() + ": no decision can be proposed");
            }
            String customerId = Sql.one(c, "SELECT customer_id FROM review_case WHERE case_id = ?", p.caseId()).orElseThrow();
            checkScope(c, customerId, p.scope());
            checkTimeline(p.timeline());
            checkGrounds(p.grounds());
            Check.id("reasonCode", p.reasonCode());
            if (p.lifts() != null) {
                Check.id("lifts", p.lifts());
                List<String> lifted = Sql.rows(c, "SELECT customer_id, state FROM decision WHERE decision_id = ?", p.lifts())
                        .stream().findFirst().orElseThrow(() -> Rejection.notFound("lifts", "no decision \"" + p.lifts() + "\""));
                if (!lifted.get(0).equals(customerId)) {
                    throw Rejection.invalid("lifts", "decision \"" + p.lifts() + "\" is about another customer");
                }
                if (!Set.of("effective", "emergency").contains(lifted.get(1))) {
                    throw Rejection.conflict("decision \"" + p.lifts() + "\" is " + lifted.get(1) + ": nothing to lift");
                }
            }
            Duration window = p.appealWindow() == null ? DEFAULT_APPEAL_WINDOW : p.appealWindow();
            if (window.isNegative() || window.compareTo(Duration.ofDays(365)) > 0) {
                throw Rejection.invalid("appealWindow", "the appeal window is between 0 and 365 days");
            }
            String id = Check.newId("dec");
            ctx.emit(new Event.DecisionProposed(id, p.caseId(), customerId, p.scope(), p.timeline(), p.grounds(),
                    p.reasonCode(), p.lifts(), p.timeline().noticeAt().plus(window)));
            if (status == CaseStatus.OPEN || status == CaseStatus.UNDER_REVIEW) {
                ctx.emit(new Event.CaseStatusChanged(p.caseId(), status, CaseStatus.DECISION_PROPOSED));
            }
            return id;
        });
    }

    /** Where a decision stands after an approval. */
    public enum Outcome { AWAITING_SECOND_APPROVAL, EFFECTIVE, CONFIRMED }

    /**
     * Approves a decision. The second approval by a distinct approver, neither the proposer, makes
     * it take effect (or confirms an emergency decision). Racing approvals apply it exactly once:
     * commands run in order, and a late one finds the decision already effective.
     */
    public Outcome approve(Principal by, String decisionId) {
        return journal.run(by, ctx -> {
            Check.role(ctx.by(), Role.APPROVER);
            Connection c = ctx.connection();
            DecisionRow d = load(c, decisionId);
            if (d.proposedBy().equals(ctx.by().id())) {
                throw Rejection.forbidden("\"" + ctx.by().id() + "\" proposed decision \"" + decisionId
                        + "\" and may not approve it");
            }
            if (!d.state().equals("proposed") && !d.state().equals("emergency")) {
                throw Rejection.conflict("decision \"" + decisionId + "\" is " + d.state() + ": it takes no more approvals");
            }
            if (Sql.one(c, "SELECT 1 FROM decision_approval WHERE decision_id = ? AND approver = ?", decisionId,
                    ctx.by().id()).isPresent()) {
                throw Rejection.conflict("\"" + ctx.by().id() + "\" already approved decision \"" + decisionId + "\"");
            }
            ctx.emit(new Event.DecisionApproved(decisionId, ctx.by().id()));
            if (d.state().equals("emergency")) {
                ctx.emit(new Event.EmergencyConfirmed(decisionId));
                return Outcome.CONFIRMED;
            }
            long approvals = Sql.rows(c, "SELECT approver FROM decision_approval WHERE decision_id = ?", decisionId).size();
            if (approvals < 2) {
                return Outcome.AWAITING_SECOND_APPROVAL;
            }
            takeEffect(ctx, d);
            return Outcome.EFFECTIVE;
        });
    }

    /**
     * The emergency path: a holder of the emergency grant, not the proposer, makes the decision
     * effective now; it lapses after 72 hours unless a second
     * approval arrives. Both the grant's use and any lapse are ledger events.
     */
    public void applyEmergency(Principal by, String decisionId) {
        journal.run(by, ctx -> {
            Check.role(ctx.by(), Role.EMERGENCY);
            Connection c = ctx.connection();
            DecisionRow d = load(c, decisionId);
            if (d.proposedBy().equals(ctx.by().id())) {
                throw Rejection.forbidden("\"" + ctx.by().id() + "\" proposed decision \"" + decisionId
                        + "\" and may not apply it");
            }
            if (!d.state().equals("proposed")) {
                throw Rejection.conflict("decision \"" + decisionId + "\" is " + d.state());
            }
            if (d.lifts() != null) {
                throw Rejection.invalid("decisionId", "lifting a restriction needs no emergency path");
            }
            ctx.emit(new Event.DecisionApproved(decisionId, ctx.by().id()));
            takeEffect(ctx, d);
            ctx.emit(new Event.EmergencyApplied(decisionId, ctx.now().plus(EMERGENCY_LAPSE)));
            return null;
        });
    }

    /** Lapses every emergency decision whose 72 hours have passed without a second approval; returns how many. */
    public int lapseDue(Principal by) {
        String now = journal.clock().instant().toString();
        boolean any = journal.read(c -> !Sql.rows(c, "SELECT lapses_at FROM decision WHERE state = 'emergency'").stream()
                .filter(r -> r.get(0).compareTo(now) <= 0).toList().isEmpty());
        if (!any) {
            return 0; // nothing due: no command, no write
        }
        return journal.run(by, ctx -> {
            Check.role(ctx.by(), Role.SYSTEM);
            int n = 0;
            for (List<String> row : Sql.rows(ctx.connection(),
                    "SELECT decision_id, lapses_at FROM decision WHERE state = 'emergency' ORDER BY decision_id")) {
                if (!Instant.parse(row.get(1)).isAfter(ctx.now())) {
                    ctx.emit(new Event.DecisionLapsed(row.get(0)));
                    n++;
                }
            }
            return n;
        });
    }

    /** The restrictions (or, for a lifting decision, the narrowing) and the notice, in the approving command. */
    private static void takeEffect(Journal.Context ctx, DecisionRow d) {
        Connection c = ctx.connection();
        long entry;
        if (d.lifts() == null) {
            List<Restriction> restrictions = new ArrayList<>();
            for (Impact.Affected a : Impact.of(c, d.customerId(), d.scope()).affected()) {
                restrictions.add(new Restriction(Check.newId("rst"), a.subscriptionId(), a.services(),
                        new TreeSet<>(a.operations()), d.scope().regions(), d.scope().carveOuts(), d.timeline(),
                        d.caseId(), d.reasonCode()));
            }
            entry = ctx.emit(new Event.DecisionTookEffect(d.decisionId(), restrictions));
        } else {
            entry = ctx.emit(new Event.DecisionTookEffect(d.decisionId(), List.of()));
            Impact impact = Impact.of(c, d.customerId(), d.scope());
            for (Impact.Affected a : impact.affected()) {
                for (List<String> r : Sql.rows(c, "SELECT restriction_id FROM restriction WHERE decision_id = ?"
                        + " AND subscription_id = ? AND state = 'active'", d.lifts(), a.subscriptionId())) {
                    ctx.emit(new Event.RestrictionNarrowed(r.get(0), a.services(), d.decisionId()));
                }
            }
        }
        CaseStatus status = Review.status(c, d.caseId());
        if (Review.TRANSITIONS.get(status).contains(CaseStatus.DECIDED)) {
            ctx.emit(new Event.CaseStatusChanged(d.caseId(), status, CaseStatus.DECIDED));
        }
        Notices.issue(ctx, d.decisionId(), entry);
    }

    /** The impact of a proposed decision, before approval: who is affected, and what keeps running. */
    public Impact preview(Principal by, String decisionId) {
        Check.role(by, Role.ANALYST, Role.REVIEWER, Role.APPROVER, Role.AUDITOR);
        return journal.read(c -> {
            DecisionRow d = load(c, decisionId);
            return Impact.of(c, d.customerId(), d.scope());
        });
    }

    static void checkScope(Connection c, String customerId, Scope s) {
        if (s == null) {
            throw Rejection.invalid("scope", "a decision needs a scope");
        }
        for (int i = 0; i < s.subscriptions().size(); i++) {
            String field = "scope.subscriptions[" + i + "]";
            String sub = Check.id(field, s.subscriptions().get(i));
            String owner = Sql.one(c, "SELECT customer_id FROM subscription WHERE subscription_id = ?", sub)
                    .orElseThrow(() -> Rejection.notFound(field, "no subscription \"" + sub + "\""));
            if (!owner.equals(customerId)) {
                throw Rejection.invalid(field, "subscription \"" + sub + "\" belongs to another customer");
            }
        }
        if (s.services().isEmpty() && s.categories().isEmpty()) {
            throw Rejection.invalid("scope.services", "a decision names services, categories, or both");
        }
        for (int i = 0; i < s.services().size(); i++) {
            Review.requireRow(c, "scope.services[" + i + "]", "service", "service",
                    Check.id("scope.services[" + i + "]", s.services().get(i)));
        }
        for (int i = 0; i < s.categories().size(); i++) {
            if (!Inventory.CATEGORIES.contains(s.categories().get(i))) {
                throw Rejection.invalid("scope.categories[" + i + "]", "\"" + s.categories().get(i)
                        + "\" is not a FOCUS ServiceCategory");
            }
        }
        for (int i = 0; i < s.regions().size(); i++) {
            Review.requireRow(c, "scope.regions[" + i + "]", "region", "region",
                    Check.id("scope.regions[" + i + "]", s.regions().get(i)));
        }
        for (int i = 0; i < s.carveOuts().size(); i++) {
            Review.requireRow(c, "scope.carveOuts[" + i + "]", "service", "service",
                    Check.id("scope.carveOuts[" + i + "]", s.carveOuts().get(i)));
        }
    }

    static void checkTimeline(Timeline t) {
        if (t == null || t.noticeAt() == null || t.effectiveAt() == null || t.retrievalUntil() == null) {
            throw Rejection.invalid("timeline", "a timeline needs noticeAt, effectiveAt and retrievalUntil");
        }
        if (t.effectiveAt().isBefore(t.noticeAt())) {
            throw Rejection.invalid("timeline.effectiveAt", "effectiveAt " + t.effectiveAt() + " is before noticeAt "
                    + t.noticeAt());
        }
        if (t.retrievalUntil().isBefore(t.effectiveAt())) {
            throw Rejection.invalid("timeline.retrievalUntil", "retrievalUntil " + t.retrievalUntil()
                    + " is before effectiveAt " + t.effectiveAt());
        }
        if (t.endAt() != null && t.endAt().isBefore(t.retrievalUntil())) {
            throw Rejection.invalid("timeline.endAt", "endAt " + t.endAt() + " is before retrievalUntil " + t.retrievalUntil());
        }
    }

    static void checkGrounds(Grounds g) {
        if (g == null) {
            throw Rejection.invalid("grounds", "a decision states its grounds");
        }
        if (g.clauses().isEmpty()) {
            throw Rejection.invalid("grounds.clauses", "a decision relies on at least one policy clause");
        }
        Check.texts("grounds.clauses", g.clauses(), 20, 200);
        Check.text("grounds.facts", g.facts(), 5000);
        Check.text("grounds.rationale", g.rationale(), 5000);
    }

    /** A decision as stored. */
    record DecisionRow(String decisionId, String caseId, String customerId, Scope scope, Timeline timeline,
            String reasonCode, String lifts, String state, String proposedBy) {
    }

    static DecisionRow load(Connection c, String decisionId) {
        Check.id("decisionId", decisionId);
        List<String> r = Sql.rows(c, "SELECT decision_id, case_id, customer_id, scope, notice_at, effective_at,"
                        + " retrieval_until, end_at, reason_code, lifts, state, proposed_by FROM decision WHERE decision_id = ?",
                decisionId).stream().findFirst()
                .orElseThrow(() -> Rejection.notFound("decisionId", "no decision \"" + decisionId + "\""));
        Scope scope;
        try {
            scope = dev.warden.event.EventCodec.JSON.readValue(r.get(3), Scope.class);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("decision \"" + decisionId + "\" has an unreadable scope", e);
        }
        Timeline t = new Timeline(Instant.parse(r.get(4)), Instant.parse(r.get(5)), Instant.parse(r.get(6)),
                r.get(7) == null ? null : Instant.parse(r.get(7)));
        return new DecisionRow(r.get(0), r.get(1), r.get(2), scope, t, r.get(8), r.get(9), r.get(10), r.get(11));
    }

    /** A decision as the API shows it: the proposal, its state, approvals and restrictions. */
    public record View(String decisionId, String caseId, String customerId, Scope scope, Timeline timeline,
            String reasonCode, String lifts, String state, String proposedBy, String lapsesAt, String appealUntil,
            List<String> approvers, List<List<String>> restrictions) {
    }

    /** Reads a decision; staff only. */
    public View view(Principal by, String decisionId) {
        Check.role(by, Role.ANALYST, Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMIN);
        return journal.read(c -> {
            DecisionRow d = load(c, decisionId);
            List<String> extra = Sql.rows(c, "SELECT lapses_at, appeal_until FROM decision WHERE decision_id = ?", decisionId).get(0);
            List<String> approvers = Sql.rows(c, "SELECT approver FROM decision_approval WHERE decision_id = ? ORDER BY at, approver",
                    decisionId).stream().map(r -> r.get(0)).toList();
            List<List<String>> restrictions = Sql.rows(c, "SELECT restriction_id, subscription_id, services, operations, regions,"
                    + " carve_outs, state FROM restriction WHERE decision_id = ? ORDER BY subscription_id", decisionId);
            return new View(d.decisionId(), d.caseId(), d.customerId(), d.scope(), d.timeline(), d.reasonCode(), d.lifts(),
                    d.state(), d.proposedBy(), extra.get(0), extra.get(1), approvers, restrictions);
        });
    }

    /** Every operation class, which an empty operation set in a scope stands for. */
    static final Set<Operation> ALL_OPERATIONS = EnumSet.allOf(Operation.class);
}
