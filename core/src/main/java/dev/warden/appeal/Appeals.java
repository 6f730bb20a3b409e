package dev.warden.appeal;

import dev.warden.event.Check;
import dev.warden.event.Event;
import dev.warden.event.Journal;
import dev.warden.event.Rejection;
import dev.warden.event.Sql;
import dev.warden.event.Vocabulary.CaseStatus;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;
import dev.warden.review.Review;

import java.sql.Connection;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Appeals: the customer, with a token bound to its own account, appeals a decision within its
 * window; the appeal goes to a reviewer who took no part in the decision (enforced here); the
 * outcome upholds, partly reverses or reverses it, and the restrictions narrow to match.
 */
public final class Appeals {
    /** The outcomes of an appeal. */
    public static final Set<String> OUTCOMES = Set.of("upheld", "partly-reversed", "reversed");

    private final Journal journal;

    public Appeals(Journal journal) {
        this.journal = journal;
    }

    /** The customer files an appeal against one of its own decisions; returns its id. */
    public String file(Principal by, String decisionId, String statement) {
        return journal.run(by, ctx -> {
            Check.role(ctx.by(), Role.CUSTOMER);
            Check.id("decisionId", decisionId);
            Check.text("statement", statement, 20_000);
            Connection c = ctx.connection();
            List<String> d = Sql.rows(c, "SELECT customer_id, state, appeal_until, case_id, lifts FROM decision"
                    + " WHERE decision_id = ?", decisionId).stream().findFirst().orElse(null);
            if (d == null || !d.get(0).equals(ctx.by().customerId())) {
                // Another customer's decision is indistinguishable from a missing one.
                throw Rejection.notFound("decisionId", "no decision \"" + decisionId + "\"");
            }
            if (d.get(4) != null || !Set.of("effective", "emergency").contains(d.get(1))) {
                throw Rejection.conflict("decision \"" + decisionId + "\" is not a restriction in force");
            }
            if (ctx.now().isAfter(Instant.parse(d.get(2)))) {
                throw Rejection.conflict("the appeal window of decision \"" + decisionId + "\" closed at " + d.get(2));
            }
            if (Sql.one(c, "SELECT 1 FROM appeal WHERE decision_id = ? AND state <> 'decided'", decisionId).isPresent()) {
                throw Rejection.conflict("decision \"" + decisionId + "\" already has an open appeal");
            }
            String id = Check.newId("apl");
            ctx.emit(new Event.AppealFiled(id, decisionId, statement));
            CaseStatus status = Review.status(c, d.get(3));
            if (Review.TRANSITIONS.get(status).contains(CaseStatus.UNDER_APPEAL)) {
                ctx.emit(new Event.CaseStatusChanged(d.get(3), status, CaseStatus.UNDER_APPEAL));
            }
            return id;
        });
    }

    /** Assigns an appeal to a reviewer who neither proposed, approved nor reviewed the decision's case. */
    public void assign(Principal by, String appealId, String reviewer) {
        journal.run(by, ctx -> {
            Check.role(ctx.by(), Role.ANALYST, Role.ADMIN);
            Check.principal("reviewer", reviewer);
            Connection c = ctx.connection();
            List<String> a = appeal(c, appealId);
            if (!a.get(1).equals("filed")) {
                throw Rejection.conflict("appeal \"" + appealId + "\" is already " + a.get(1));
            }
            if (involved(c, a.get(0)).contains(reviewer)) {
                throw Rejection.forbidden("\"" + reviewer + "\" took part in decision \"" + a.get(0)
                        + "\" and may not review its appeal");
            }
            return ctx.emit(new Event.AppealAssigned(appealId, reviewer));
        });
    }

    /**
     * The assigned reviewer decides. For {@code partly-reversed}, {@code lifted} maps each
     * subscription to the services it gets back (an empty list: all of them); {@code reversed}
     * lifts every restriction of the decision.
     */
    public void decide(Principal by, String appealId, String outcome, String reasons, Map<String, List<String>> lifted) {
        journal.run(by, ctx -> {
            Check.role(ctx.by(), Role.REVIEWER);
            Connection c = ctx.connection();
            List<String> a = appeal(c, appealId);
            if (!a.get(1).equals("assigned")) {
                throw Rejection.conflict("appeal \"" + appealId + "\" is " + a.get(1) + ", not assigned");
            }
            if (!ctx.by().id().equals(a.get(2))) {
                throw Rejection.forbidden("appeal \"" + appealId + "\" is assigned to another reviewer");
            }
            if (involved(c, a.get(0)).contains(ctx.by().id())) {
                throw Rejection.forbidden("\"" + ctx.by().id() + "\" took part in the decision");
            }
            if (outcome == null || !OUTCOMES.contains(outcome)) {
                throw Rejection.invalid("outcome", "outcome is one of: partly-reversed, reversed, upheld");
            }
            Check.text("reasons", reasons, 20_000);
            Map<String, List<String>> lift = lifted == null ? Map.of() : new TreeMap<>(lifted);
            if (outcome.equals("partly-reversed") == lift.isEmpty()) {
                throw Rejection.invalid("lifted", "a partial reversal, and only one, lists what it lifts");
            }
            ctx.emit(new Event.AppealDecided(appealId, outcome, reasons));
            List<List<String>> restrictions = Sql.rows(c, "SELECT restriction_id, subscription_id, services FROM restriction"
                    + " WHERE decision_id = ? AND state = 'active' ORDER BY restriction_id", a.get(0));
            if (outcome.equals("reversed")) {
                for (List<String> r : restrictions) {
                    ctx.emit(new Event.RestrictionNarrowed(r.get(0), List.of(), appealId));
                }
            } else if (outcome.equals("partly-reversed")) {
                for (Map.Entry<String, List<String>> e : lift.entrySet()) {
                    String field = "lifted." + e.getKey();
                    List<String> r = restrictions.stream().filter(x -> x.get(1).equals(e.getKey())).findFirst()
                            .orElseThrow(() -> Rejection.invalid(field, "decision restricts no subscription \""
                                    + e.getKey() + "\""));
                    Set<String> restricted = Set.of(r.get(2).split(","));
                    for (String service : e.getValue()) {
                        if (!restricted.contains(service)) {
                            throw Rejection.invalid(field, "service \"" + service + "\" is not restricted for \""
                                    + e.getKey() + "\"");
                        }
                    }
                    ctx.emit(new Event.RestrictionNarrowed(r.get(0), e.getValue(), appealId));
                }
            }
            String caseId = Sql.one(c, "SELECT case_id FROM decision WHERE decision_id = ?", a.get(0)).orElseThrow();
            CaseStatus status = Review.status(c, caseId);
            if (status == CaseStatus.UNDER_APPEAL) {
                ctx.emit(new Event.CaseStatusChanged(caseId, status, CaseStatus.DECIDED));
            }
            return null;
        });
    }

    /** An appeal as its customer or staff see it. */
    public record View(String appealId, String decisionId, String statement, String filedAt, String state, String reviewer,
            String outcome, String reasons, String decidedAt) {
    }

    /** Reads an appeal: the customer its own (another's is not found), staff any. */
    public View view(Principal by, String appealId) {
        Check.id("appealId", appealId);
        return journal.read(c -> {
            List<String> r = Sql.rows(c, "SELECT a.appeal_id, a.decision_id, a.statement, a.filed_at, a.state, a.reviewer,"
                            + " a.outcome, a.reasons, a.decided_at, d.customer_id FROM appeal a JOIN decision d"
                            + " ON d.decision_id = a.decision_id WHERE a.appeal_id = ?", appealId).stream().findFirst()
                    .orElseThrow(() -> Rejection.notFound("appealId", "no appeal \"" + appealId + "\""));
            if (by.has(Role.CUSTOMER)) {
                if (!r.get(9).equals(by.customerId())) {
                    throw Rejection.notFound("appealId", "no appeal \"" + appealId + "\"");
                }
            } else {
                Check.role(by, Role.ANALYST, Role.REVIEWER, Role.APPROVER, Role.AUDITOR, Role.ADMIN);
            }
            return new View(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5), r.get(6), r.get(7), r.get(8));
        });
    }

    /** decision_id, state, reviewer */
    private static List<String> appeal(Connection c, String appealId) {
        Check.id("appealId", appealId);
        return Sql.rows(c, "SELECT decision_id, state, reviewer FROM appeal WHERE appeal_id = ?", appealId).stream()
                .findFirst().orElseThrow(() -> Rejection.notFound("appealId", "no appeal \"" + appealId + "\""));
    }

    /** Everyone who took part in a decision: its proposer, its approvers, and the reviewers of its case. */
    static Set<String> involved(Connection c, String decisionId) {
        Set<String> people = new HashSet<>();
        List<String> d = Sql.rows(c, "SELECT proposed_by, case_id FROM decision WHERE decision_id = ?", decisionId).get(0);
        people.add(d.get(0));
        Sql.rows(c, "SELECT approver FROM decision_approval WHERE decision_id = ?", decisionId).forEach(r -> people.add(r.get(0)));
        Sql.rows(c, "SELECT reviewer FROM case_reviewer WHERE case_id = ?", d.get(1)).forEach(r -> people.add(r.get(0)));
        return people;
    }
}
