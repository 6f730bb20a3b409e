package dev.warden.event;

import dev.warden.event.Vocabulary.CaseStatus;
import dev.warden.event.Vocabulary.CustomerType;
import dev.warden.event.Vocabulary.EvidenceKind;
import dev.warden.event.Vocabulary.Operation;
import dev.warden.event.Vocabulary.SourceType;

import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Every change of state in Warden, as a closed set. An event's body (these fields, with its
 * time and principal) is private; the ledger holds only its public envelope: type, time and a
 * salted hash of the body (DESIGN.md, "public envelope, private body").
 *
 * <p>Type names are stable wire names; a renamed record keeps its type string.
 */
public sealed interface Event {

    /** The wire name of this event's type, e.g. {@code case.opened}. */
    String type();

    /** Every event type by wire name, for decoding bodies. */
    Map<String, Class<? extends Event>> TYPES = Map.ofEntries(
            Map.entry("customer.registered", CustomerRegistered.class),
            Map.entry("subscription.registered", SubscriptionRegistered.class),
            Map.entry("service.registered", ServiceRegistered.class),
            Map.entry("region.registered", RegionRegistered.class),
            Map.entry("report.received", ReportReceived.class),
            Map.entry("case.opened", CaseOpened.class),
            Map.entry("case.reviewer-assigned", ReviewerAssigned.class),
            Map.entry("case.status-changed", CaseStatusChanged.class),
            Map.entry("case.note-added", NoteAdded.class),
            Map.entry("evidence.attached", EvidenceAttached.class),
            Map.entry("evidence.read", EvidenceRead.class),
            Map.entry("token.issued", TokenIssued.class),
            Map.entry("token.revoked", TokenRevoked.class),
            Map.entry("decision.proposed", DecisionProposed.class),
            Map.entry("decision.approved", DecisionApproved.class),
            Map.entry("decision.emergency-applied", EmergencyApplied.class),
            Map.entry("decision.took-effect", DecisionTookEffect.class),
            Map.entry("decision.emergency-confirmed", EmergencyConfirmed.class),
            Map.entry("decision.lapsed", DecisionLapsed.class),
            Map.entry("restriction.narrowed", RestrictionNarrowed.class),
            Map.entry("notice.issued", NoticeIssued.class),
            Map.entry("notice.delivery-attempted", DeliveryAttempted.class),
            Map.entry("appeal.filed", AppealFiled.class),
            Map.entry("appeal.assigned", AppealAssigned.class),
            Map.entry("appeal.decided", AppealDecided.class),
            Map.entry("customer.webhook-configured", WebhookConfigured.class),
            Map.entry("finding.recorded", FindingRecorded.class),
            Map.entry("finding.attached", FindingAttached.class));

    // ---- inventory ----

    /** A billing account. */
    record CustomerRegistered(String customerId, String name, CustomerType customerType, String country)
            implements Event {
        public String type() {
            return "customer.registered";
        }
    }

    /** A sub-account of a customer. */
    record SubscriptionRegistered(String subscriptionId, String customerId, String name) implements Event {
        public String type() {
            return "subscription.registered";
        }
    }

    /** A service of the catalog, with its FOCUS service category and the operation classes it supports. */
    record ServiceRegistered(String service, String category, SortedSet<Operation> operations) implements Event {
        public ServiceRegistered {
            operations = Collections.unmodifiableSortedSet(new TreeSet<>(operations));
        }

        public String type() {
            return "service.registered";
        }
    }

    /** A region. */
    record RegionRegistered(String region, String name) implements Event {
        public String type() {
            return "region.registered";
        }
    }

    // ---- reports and cases ----

    /** An external allegation, optionally naming the customer it is about. */
    record ReportReceived(String reportId, SourceType sourceType, String description, List<String> references,
            String customerId) implements Event {
        public ReportReceived {
            references = List.copyOf(references);
        }

        public String type() {
            return "report.received";
        }
    }

    /** A review of a customer, opened from reports. */
    record CaseOpened(String caseId, String customerId, String title, List<String> reportIds) implements Event {
        public CaseOpened {
            reportIds = List.copyOf(reportIds);
        }

        public String type() {
            return "case.opened";
        }
    }

    /** A reviewer, internal or outside (such as outside counsel), assigned to a case. */
    record ReviewerAssigned(String caseId, String reviewer, boolean outside) implements Event {
        public String type() {
            return "case.reviewer-assigned";
        }
    }

    /** A case moved along its status machine. */
    record CaseStatusChanged(String caseId, CaseStatus from, CaseStatus to) implements Event {
        public String type() {
            return "case.status-changed";
        }
    }

    /** A note or finding of a reviewer. */
    record NoteAdded(String caseId, String noteId, String text) implements Event {
        public String type() {
            return "case.note-added";
        }
    }

    /**
     * A business record attached to a case, with its SHA-256 and where it came from (the first
     * link of its chain of custody).
     */
    record EvidenceAttached(String caseId, String evidenceId, EvidenceKind kind, String title, String sha256,
            String source, long bytes) implements Event {
        public String type() {
            return "evidence.attached";
        }
    }

    /** Somebody read an evidence item (access transparency): the next link of its chain of custody. */
    record EvidenceRead(String caseId, String evidenceId, String purpose) implements Event {
        public String type() {
            return "evidence.read";
        }
    }

    // ---- access ----

    /**
     * An API token bound to a principal with roles. Only the SHA-256 of the secret is kept (in
     * the private body and the projection); the secret is shown once, to whoever issued it.
     */
    record TokenIssued(String tokenId, String principalId, SortedSet<dev.warden.principal.Role> roles,
            String customerId, String secretSha256, Instant expiresAt) implements Event {
        public TokenIssued {
            roles = Collections.unmodifiableSortedSet(new TreeSet<>(roles));
        }

        public String type() {
            return "token.issued";
        }
    }

    /** A token that no longer authenticates. */
    record TokenRevoked(String tokenId) implements Event {
        public String type() {
            return "token.revoked";
        }
    }

    // ---- decisions and restrictions ----

    /**
     * What a decision covers. Empty {@code subscriptions} means all of the customer's; services
     * are named or given by FOCUS category; empty {@code operations} or {@code regions} means all;
     * {@code carveOuts} are services left untouched whatever else matches.
     */
    record Scope(List<String> subscriptions, List<String> services, List<String> categories,
            SortedSet<Operation> operations, List<String> regions, List<String> carveOuts) {
        public Scope {
            subscriptions = sortedCopy(subscriptions);
            services = sortedCopy(services);
            categories = sortedCopy(categories);
            operations = Collections.unmodifiableSortedSet(new TreeSet<>(operations == null ? Set.of() : operations));
            regions = sortedCopy(regions);
            carveOuts = sortedCopy(carveOuts);
        }

        private static List<String> sortedCopy(List<String> values) {
            return values == null ? List.of() : List.copyOf(new TreeSet<>(values));
        }
    }

    /** When a restriction applies: {@code noticeAt <= effectiveAt <= retrievalUntil <= endAt}, {@code endAt} may be open. */
    record Timeline(Instant noticeAt, Instant effectiveAt, Instant retrievalUntil, Instant endAt) {
    }

    /** Why: the policy clauses relied on, the facts, the rationale, and whether automation took part. */
    record Grounds(List<String> clauses, String facts, String rationale, boolean automatedDetection) {
        public Grounds {
            clauses = List.copyOf(clauses);
        }
    }

    /**
     * A proposed decision on a case. {@code lifts} names an earlier decision whose restrictions
     * this one lifts within its scope, instead of imposing new ones.
     */
    record DecisionProposed(String decisionId, String caseId, String customerId, Scope scope, Timeline timeline,
            Grounds grounds, String reasonCode, String lifts, Instant appealUntil) implements Event {
        public String type() {
            return "decision.proposed";
        }
    }

    /** One approval of a decision, by an approver other than its proposer. */
    record DecisionApproved(String decisionId, String approver) implements Event {
        public String type() {
            return "decision.approved";
        }
    }

    /**
     * The emergency path: one holder of the emergency grant makes a decision effective at once; it
     * lapses by itself at {@code lapsesAt} unless a second approval arrives first.
     */
    record EmergencyApplied(String decisionId, Instant lapsesAt) implements Event {
        public String type() {
            return "decision.emergency-applied";
        }
    }

    /**
     * A decision takes effect: the restrictions it yields, one per subscription, in the form the
     * decision point enforces; or, for a lifting decision, the restrictions it narrows.
     */
    record DecisionTookEffect(String decisionId, List<Restriction> restrictions) implements Event {
        public DecisionTookEffect {
            restrictions = List.copyOf(restrictions);
        }

        public String type() {
            return "decision.took-effect";
        }
    }

    /** An enforceable restriction: one subscription, the services and operations denied, where and when. */
    record Restriction(String restrictionId, String subscriptionId, List<String> services, SortedSet<Operation> operations,
            List<String> regions, List<String> carveOuts, Timeline timeline, String caseId, String reasonCode) {
        public Restriction {
            services = List.copyOf(new TreeSet<>(services));
            operations = Collections.unmodifiableSortedSet(new TreeSet<>(operations));
            regions = List.copyOf(new TreeSet<>(regions));
            carveOuts = List.copyOf(new TreeSet<>(carveOuts));
        }
    }

    /** A second approval confirmed an emergency decision: it no longer lapses. */
    record EmergencyConfirmed(String decisionId) implements Event {
        public String type() {
            return "decision.emergency-confirmed";
        }
    }

    /** An emergency decision without its second approval lapsed; its restrictions end. */
    record DecisionLapsed(String decisionId) implements Event {
        public String type() {
            return "decision.lapsed";
        }
    }

    /**
     * A restriction shrank: {@code services} are no longer denied to its subscription (all of them
     * when the list is empty, which ends the restriction), by a lifting decision or an appeal.
     */
    record RestrictionNarrowed(String restrictionId, List<String> services, String by) implements Event {
        public RestrictionNarrowed {
            services = List.copyOf(new TreeSet<>(services));
        }

        public String type() {
            return "restriction.narrowed";
        }
    }

    // ---- notices and appeals ----

    /**
     * Where the customer receives notices: an HTTPS (or, for tests, HTTP) URL. The HMAC secret
     * itself is kept apart from events, which carry only its SHA-256.
     */
    record WebhookConfigured(String customerId, String url, String secretSha256) implements Event {
        public String type() {
            return "customer.webhook-configured";
        }
    }

    /**
     * A notice to the customer, rendered when a decision took effect: {@code sha256} of its
     * document, and the ledger index of the decision's {@code decision.took-effect} entry, for
     * which each delivery carries a receipt.
     */
    record NoticeIssued(String noticeId, String decisionId, String customerId, String sha256, long decisionEntry)
            implements Event {
        public String type() {
            return "notice.issued";
        }
    }

    /** One attempt to deliver a notice to the customer's webhook, and how it went. */
    record DeliveryAttempted(String noticeId, int attempt, int status, String outcome) implements Event {
        public String type() {
            return "notice.delivery-attempted";
        }
    }

    /** The customer appeals a decision, with new information, within its window. */
    record AppealFiled(String appealId, String decisionId, String statement) implements Event {
        public String type() {
            return "appeal.filed";
        }
    }

    /** An appeal given to a reviewer who took no part in the decision. */
    record AppealAssigned(String appealId, String reviewer) implements Event {
        public String type() {
            return "appeal.assigned";
        }
    }

    /**
     * The outcome: upheld, partly reversed or reversed, with reasons. A reversal is followed, in
     * the same command, by the {@link RestrictionNarrowed} events it implies.
     */
    record AppealDecided(String appealId, String outcome, String reasons) implements Event {
        public String type() {
            return "appeal.decided";
        }
    }

    // ---- detection ----

    /**
     * What a detection rule flagged, for people to review: never a decision. It cites the rule's
     * pack, version and content hash, and carries the evidence as the rule's aggregates over the
     * window (sums, counts, ratios of business records), never rows or content.
     *
     * @param subjectType {@code subscription} or {@code customer}
     * @param evidence    the rule's measures and baselines by name, in the rule's order
     */
    record FindingRecorded(String findingId, String pack, String packVersion, String ruleId, String ruleHash,
            String severity, String clause, String subjectType, String subjectId, String customerId,
            Instant windowStart, Instant windowEnd, java.util.LinkedHashMap<String, Double> evidence) implements Event {
        public String type() {
            return "finding.recorded";
        }
    }

    /** A finding attached to a case, opened for it or already open about the same customer. */
    record FindingAttached(String findingId, String caseId) implements Event {
        public String type() {
            return "finding.attached";
        }
    }
}
