package dev.warden.server;

import java.util.List;

/**
 * The JSON request bodies of the API, one record per body. A field missing from the JSON is null
 * here and is refused (422) by the command that needs it; a field not declared here is refused
 * (400) when the body is read. Values of closed vocabularies stay strings, so that an unknown one
 * is a 422 naming the field, as the commands report it.
 */
final class Requests {
    private Requests() {
    }

    record Customer(String customerId, String name, String customerType, String country) {
    }

    record Subscription(String subscriptionId, String customerId, String name) {
    }

    record Service(String service, String category, List<String> operations) {
    }

    record Region(String region, String name) {
    }

    record Report(String sourceType, String description, List<String> references, String customerId) {
    }

    record Case(String customerId, String title, List<String> reportIds) {
    }

    /** {@code outside}: an outside reviewer, such as outside counsel; false when absent. */
    record Reviewer(String reviewer, Boolean outside) {
    }

    record Status(String status) {
    }

    record Note(String text) {
    }

    /** {@code contentBase64}: the document, base64 (RFC 4648 §4). */
    record Evidence(String kind, String title, String source, String contentBase64) {
    }

    /** {@code ttlDays}: 1 to 366, 90 when absent. {@code customerId}: only for a customer token. */
    record Token(String principalId, List<String> roles, String customerId, Integer ttlDays) {
    }

    /** A decision's scope: empty subscriptions, operations or regions mean all of them. */
    record Scope(List<String> subscriptions, List<String> services, List<String> categories, List<String> operations,
            List<String> regions, List<String> carveOuts) {
    }

    /** ISO 8601 instants; {@code endAt} may be absent (open-ended). */
    record Timeline(String noticeAt, String effectiveAt, String retrievalUntil, String endAt) {
    }

    record Grounds(List<String> clauses, String facts, String rationale, Boolean automatedDetection) {
    }

    /** {@code lifts}: an earlier decision to lift within {@code scope}. {@code appealWindowDays}: 30 when absent. */
    record Decision(Scope scope, Timeline timeline, Grounds grounds, String reasonCode, String lifts,
            Integer appealWindowDays) {
    }

    record Webhook(String url, String secret) {
    }

    record Appeal(String decisionId, String statement) {
    }

    record AppealAssignment(String reviewer) {
    }

    /** {@code lifted}: for a partial reversal, per subscription the services it gets back (empty: all). */
    record AppealDecision(String outcome, String reasons, java.util.Map<String, List<String>> lifted) {
    }

    /** One decision request; {@code at} is an ISO 8601 instant, now when absent. */
    record Decide(String subscription, String service, String operation, String region, String at) {
    }

    /** Up to 1,000 decision requests in one call. */
    record DecideBatch(List<Decide> requests) {
    }
}
