package dev.warden.event;

import dev.warden.event.Vocabulary.CaseStatus;
import dev.warden.event.Vocabulary.CustomerType;
import dev.warden.event.Vocabulary.EvidenceKind;
import dev.warden.event.Vocabulary.Operation;
import dev.warden.event.Vocabulary.SourceType;

import java.util.Collections;
import java.util.List;
import java.util.Map;
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
            Map.entry("evidence.read", EvidenceRead.class));

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
}
