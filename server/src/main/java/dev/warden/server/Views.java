package dev.warden.server;

import java.util.List;

/** The JSON response bodies of the API, one record per body, serialised in declaration order. */
final class Views {
    private Views() {
    }

    record CustomerCreated(String customerId) {
    }

    record SubscriptionCreated(String subscriptionId) {
    }

    record ServiceCreated(String service) {
    }

    record RegionCreated(String region) {
    }

    record ReportCreated(String reportId) {
    }

    record CaseCreated(String caseId) {
    }

    record ReviewerAssigned(String caseId, String reviewer) {
    }

    record StatusChanged(String caseId, String status) {
    }

    record NoteCreated(String noteId) {
    }

    record EvidenceCreated(String evidenceId, String sha256) {
    }

    record TokenCreated(String tokenId, String token, String expiresAt) {
        @Override
        public String toString() {
            return "TokenCreated[" + tokenId + ", expires " + expiresAt + "]"; // never the secret
        }
    }

    record Customer(String customerId, String name, String customerType, String country,
            List<Subscription> subscriptions) {
    }

    record Subscription(String subscriptionId, String name) {
    }

    record Report(String reportId, String sourceType, String description, List<String> references, String customerId,
            String receivedAt, String receivedBy) {
    }

    record Case(String caseId, String customerId, String title, String status, String openedAt, String openedBy,
            List<String> reports, List<Reviewer> reviewers, List<Note> notes, List<Evidence> evidence) {
    }

    record Reviewer(String reviewer, boolean outside, String assignedAt, String assignedBy) {
    }

    record Note(String noteId, String author, String text, String addedAt) {
    }

    /** Evidence metadata: its content is read, and the read logged, at {@code GET /v1/evidence/{id}}. */
    record Evidence(String evidenceId, String kind, String title, String sha256, String source, long bytes,
            String attachedBy, String attachedAt) {
    }

    /**
     * A ledger entry with its private body: {@code entry} is the entry's exact bytes (base64), whose
     * RFC 9162 leaf hash is in the tree; {@code envelope} is that entry decoded; {@code salt} and
     * {@code body} (base64) are what {@code bodyHash = SHA-256(salt || body)} commits to. An entry
     * that is not an event (such as one appended by {@code warden ledger append}) has no envelope,
     * salt or body.
     */
    record LedgerEntry(long index, String entry, Envelope envelope, String salt, String body) {
    }

    record Envelope(int v, String type, String at, String bodyHash) {
    }

    record DecisionCreated(String decisionId) {
    }

    record ApprovalRecorded(String decisionId, String outcome) {
    }

    record EmergencyApplied(String decisionId) {
    }

    record AppealCreated(String appealId) {
    }

    record AppealAssigned(String appealId, String reviewer) {
    }

    record AppealDecided(String appealId, String outcome) {
    }

    /** A body for a follower: base64 {@code salt} and {@code body}; SHA-256(salt || body) is the envelope's bodyHash. */
    record EnforcementEntry(long index, String type, String salt, String body) {
    }

    /** {@code decision}: allow or deny; the rest names the restriction when denied. */
    record Decision(String decision, long treeSize, String restrictionId, String caseRef, String reasonCode) {
    }

    record DecisionBatch(long treeSize, List<Decision> answers) {
    }
}
