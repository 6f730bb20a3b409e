package dev.warden.server;

import dev.warden.access.Tokens;
import dev.warden.appeal.Appeals;
import dev.warden.decision.Decisions;
import dev.warden.enforcement.Answer;
import dev.warden.enforcement.Decider;
import dev.warden.event.Vocabulary.Operation;
import dev.warden.notice.Notices;
import dev.warden.event.Check;
import dev.warden.event.Envelope;
import dev.warden.event.Event;
import dev.warden.event.EventCodec;
import dev.warden.event.Journal;
import dev.warden.event.Rejection;
import dev.warden.event.Sha256;
import dev.warden.event.Sql;
import dev.warden.inventory.Inventory;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;
import dev.warden.review.Review;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.router.Endpoint;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static dev.warden.principal.Role.ADMIN;
import static dev.warden.principal.Role.ANALYST;
import static dev.warden.principal.Role.APPROVER;
import static dev.warden.principal.Role.AUDITOR;
import static dev.warden.principal.Role.CUSTOMER;
import static dev.warden.principal.Role.EMERGENCY;
import static dev.warden.principal.Role.REVIEWER;

/**
 * The JSON API under {@link #PREFIX}: the route table, and a handler per route that turns JSON
 * into a command of core and its result back into JSON.
 *
 * <p>Every route requires a bearer token ({@link Tokens#authenticate}); the principal must hold
 * one of the route's roles before its body is even read, and the command checks its roles again.
 * Refusals are RFC 9457 problem+json: a {@link Rejection} maps INVALID to 422, NOT_FOUND to 404,
 * FORBIDDEN to 403 and CONFLICT to 409; a body that can't be read is 400, 413 or 415.
 *
 * <p>Thread-safe: handlers share only the journal, which is.
 */
final class Api {
    static final String PREFIX = "/v1";
    static final String OPENAPI_PATH = "/openapi.json";

    /**
     * The largest evidence request: the base64 of {@link Review#MAX_EVIDENCE_BYTES} (a 10 MiB
     * document) and 64 KiB for the other fields.
     */
    static final long EVIDENCE_MAX_BYTES = 4L * ((Review.MAX_EVIDENCE_BYTES + 2) / 3) + 64 * 1024;

    /** A token's life when the request names none. */
    static final int DEFAULT_TTL_DAYS = 90;
    static final int MAX_TTL_DAYS = 366;

    /** Staff who read cases and what they cite. */
    private static final Set<Role> CASE_READERS = Set.of(ANALYST, REVIEWER, APPROVER, AUDITOR, ADMIN);
    /** Staff, and the customer for its own notices and appeals (scoped in core). */
    private static final Set<Role> NOTICE_READERS = Set.of(ANALYST, REVIEWER, APPROVER, AUDITOR, ADMIN, CUSTOMER);

    /** The route table: who may call what. The OpenAPI document describes exactly these routes. */
    static final List<Route> ROUTES = List.of(
            post("/v1/customers", Set.of(ADMIN), Requests.Customer.class, Api::registerCustomer),
            get("/v1/customers/{customerId}", CASE_READERS, Api::customer),
            post("/v1/subscriptions", Set.of(ADMIN), Requests.Subscription.class, Api::registerSubscription),
            post("/v1/services", Set.of(ADMIN), Requests.Service.class, Api::registerService),
            post("/v1/regions", Set.of(ADMIN), Requests.Region.class, Api::registerRegion),
            post("/v1/reports", Set.of(ANALYST), Requests.Report.class, Api::receiveReport),
            get("/v1/reports/{reportId}", Set.of(ANALYST, REVIEWER, APPROVER, AUDITOR), Api::report),
            post("/v1/cases", Set.of(ANALYST), Requests.Case.class, Api::openCase),
            caseGet("/v1/cases/{caseId}", CASE_READERS, Api::reviewCase),
            casePost("/v1/cases/{caseId}/reviewers", Set.of(ANALYST, ADMIN), Requests.Reviewer.class, Route.MIB,
                    Api::assignReviewer),
            casePost("/v1/cases/{caseId}/status", Set.of(ANALYST, REVIEWER), Requests.Status.class, Route.MIB,
                    Api::changeStatus),
            casePost("/v1/cases/{caseId}/notes", Set.of(ANALYST, REVIEWER), Requests.Note.class, Route.MIB, Api::addNote),
            casePost("/v1/cases/{caseId}/evidence", Set.of(ANALYST, REVIEWER), Requests.Evidence.class, EVIDENCE_MAX_BYTES,
                    Api::attachEvidence),
            get("/v1/evidence/{evidenceId}", Set.of(ANALYST, REVIEWER, APPROVER, AUDITOR), Api::readEvidence),
            post("/v1/tokens", Set.of(ADMIN), Requests.Token.class, Api::issueToken),
            new Route(HandlerType.DELETE, "/v1/tokens/{tokenId}", Set.of(ADMIN), null, 0, false, Api::revokeToken),
            get("/v1/ledger/entries/{index}", Set.of(AUDITOR), Api::ledgerEntry),
            casePost("/v1/cases/{caseId}/decisions", Set.of(ANALYST, REVIEWER), Requests.Decision.class, Route.MIB,
                    Api::proposeDecision),
            get("/v1/decisions/{decisionId}", CASE_READERS, Api::decision),
            get("/v1/decisions/{decisionId}/impact", Set.of(ANALYST, REVIEWER, APPROVER, AUDITOR), Api::impact),
            new Route(HandlerType.POST, "/v1/decisions/{decisionId}/approvals", Set.of(APPROVER), null, 0, false,
                    Api::approve),
            new Route(HandlerType.POST, "/v1/decisions/{decisionId}/emergency", Set.of(EMERGENCY), null, 0, false,
                    Api::applyEmergency),
            new Route(HandlerType.PUT, "/v1/customers/{customerId}/webhook", Set.of(ADMIN), Requests.Webhook.class,
                    Route.MIB, false, Api::configureWebhook),
            get("/v1/notices", NOTICE_READERS, Api::notices),
            get("/v1/findings", Set.of(ANALYST, APPROVER, AUDITOR, ADMIN), Api::findings),
            get("/v1/notices/{noticeId}", NOTICE_READERS, Api::notice),
            post("/v1/appeals", Set.of(CUSTOMER), Requests.Appeal.class, Api::fileAppeal),
            get("/v1/appeals/{appealId}", NOTICE_READERS, Api::appeal),
            post("/v1/appeals/{appealId}/assignment", Set.of(ANALYST, ADMIN), Requests.AppealAssignment.class,
                    Api::assignAppeal),
            post("/v1/appeals/{appealId}/decision", Set.of(REVIEWER), Requests.AppealDecision.class, Api::decideAppeal),
            get("/v1/enforcement/entries/{index}", Set.of(Role.FOLLOWER), Api::enforcementEntry),
            post("/v1/decide", Set.of(Role.FOLLOWER), Requests.Decide.class, Api::decide),
            post("/v1/decide/batch", Set.of(Role.FOLLOWER), Requests.DecideBatch.class, Api::decideBatch),
            get("/v1/decide/log", Set.of(Role.FOLLOWER, AUDITOR), Api::decisionLog),
            get("/v1/metrics", Set.of(Role.FOLLOWER, AUDITOR, ADMIN), Api::metrics));

    private final Journal journal;
    private final Inventory inventory;
    private final Review review;
    private final Tokens tokens;
    private final Decisions decisions;
    private final Notices notices;
    private final Appeals appeals;
    private final dev.warden.detection.Findings findings;
    private final Enforcement enforcement;
    private final Watch watch;

    private Api(Journal journal, Watch watch) {
        this.watch = watch;
        this.journal = journal;
        this.inventory = new Inventory(journal);
        this.review = new Review(journal);
        this.tokens = new Tokens(journal);
        this.decisions = new Decisions(journal);
        this.notices = new Notices(journal);
        this.appeals = new Appeals(journal);
        this.findings = new dev.warden.detection.Findings(journal);
        this.enforcement = new Enforcement(journal, 0.01);
    }

    /** Adds the API's routes and the mapping of its refusals to {@code config}. */
    static void install(JavalinConfig config, Journal journal, Watch watch) {
        Api api = new Api(journal, watch);
        for (Route route : ROUTES) {
            config.routes.addEndpoint(new Endpoint(route.method(), route.path(), ctx -> api.serve(route, ctx), Set.of()));
        }
        config.routes.exception(Rejection.class, (e, ctx) ->
                Problem.write(ctx, status(e.kind()), status(e.kind()).getMessage(), e.getMessage(), e.field()));
        config.routes.exception(Problem.class, (e, ctx) -> e.write(ctx));
        config.routes.exception(Unauthorized.class, (e, ctx) -> {
            // RFC 6750 §3: a challenge, with error="invalid_token" when a token was sent but did not do.
            ctx.header("WWW-Authenticate", "Bearer realm=\"warden\"" + (e.tokenSent ? ", error=\"invalid_token\"" : ""));
            Problem.write(ctx, HttpStatus.UNAUTHORIZED, HttpStatus.UNAUTHORIZED.getMessage(), e.getMessage(), null);
        });
    }

    static HttpStatus status(Rejection.Kind kind) {
        return switch (kind) {
            case INVALID -> HttpStatus.UNPROCESSABLE_CONTENT;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case CONFLICT -> HttpStatus.CONFLICT;
        };
    }

    /** Authenticates, checks the route's roles, reads the body, checks case scope, and runs the route. */
    private void serve(Route route, Context ctx) throws Exception {
        ctx.header("Cache-Control", "no-store");
        Principal by = authenticate(ctx.header("Authorization"));
        if (by.roles().stream().noneMatch(route.roles()::contains)) {
            throw new Problem(HttpStatus.FORBIDDEN, null, "\"" + by.id() + "\" needs the role "
                    + route.roles().stream().map(Role::wire).sorted().collect(Collectors.joining(" or "))
                    + " for " + route.key());
        }
        Object body = route.body() == null ? null : ApiJson.read(ctx, route.body(), route.maxBytes());
        if (route.caseScoped()) {
            requireCaseScope(by, ctx.pathParam("caseId"));
        }
        route.endpoint().handle(this, new Route.Call(ctx, by, body));
    }

    /** No principal: no credentials, or credentials that do not authenticate. Answered 401. */
    static final class Unauthorized extends RuntimeException {
        final boolean tokenSent;

        Unauthorized(String message, boolean tokenSent) {
            super(message, null, false, false);
            this.tokenSent = tokenSent;
        }
    }

    /** The principal of an {@code Authorization: Bearer wdn_...} header (RFC 6750 §2.1). Never logs the token. */
    private Principal authenticate(String authorization) {
        if (authorization == null || authorization.isBlank()) {
            throw new Unauthorized("this route needs a token: send Authorization: Bearer wdn_...", false);
        }
        String[] parts = authorization.strip().split(" +", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Bearer")) {
            throw new Unauthorized("the Authorization header is not \"Bearer wdn_...\"", false);
        }
        try {
            return tokens.authenticate(parts[1].strip());
        } catch (Tokens.Unauthenticated e) {
            throw new Unauthorized(e.getMessage(), true);
        }
    }

    /** A principal that is a reviewer and nothing else acts only on the cases it is assigned to. */
    private void requireCaseScope(Principal by, String caseId) {
        if (!by.roles().equals(Set.of(REVIEWER))) {
            return;
        }
        Check.id("caseId", caseId);
        journal.read(c -> {
            if (Sql.one(c, "SELECT 1 FROM review_case WHERE case_id = ?", caseId).isEmpty()) {
                throw Rejection.notFound("caseId", "no case \"" + caseId + "\"");
            }
            if (Sql.one(c, "SELECT 1 FROM case_reviewer WHERE case_id = ? AND reviewer = ?", caseId, by.id()).isEmpty()) {
                throw Rejection.forbidden("\"" + by.id() + "\" does not review case \"" + caseId + "\"");
            }
            return null;
        });
    }

    // ---- inventory ----

    private void registerCustomer(Route.Call call) {
        Requests.Customer in = call.body(Requests.Customer.class);
        inventory.registerCustomer(call.by(), in.customerId(), in.name(), in.customerType(), in.country());
        created(call.ctx(), "/v1/customers/" + in.customerId(), new Views.CustomerCreated(in.customerId()));
    }

    private void registerSubscription(Route.Call call) {
        Requests.Subscription in = call.body(Requests.Subscription.class);
        inventory.registerSubscription(call.by(), in.subscriptionId(), in.customerId(), in.name());
        created(call.ctx(), null, new Views.SubscriptionCreated(in.subscriptionId()));
    }

    private void registerService(Route.Call call) {
        Requests.Service in = call.body(Requests.Service.class);
        inventory.registerService(call.by(), in.service(), in.category(),
                in.operations() == null ? null : new LinkedHashSet<>(in.operations()));
        created(call.ctx(), null, new Views.ServiceCreated(in.service()));
    }

    private void registerRegion(Route.Call call) {
        Requests.Region in = call.body(Requests.Region.class);
        inventory.registerRegion(call.by(), in.region(), in.name());
        created(call.ctx(), null, new Views.RegionCreated(in.region()));
    }

    private void customer(Route.Call call) {
        String id = Check.id("customerId", call.path("customerId"));
        Views.Customer view = journal.read(c -> {
            List<String> row = Sql.rows(c, "SELECT name, customer_type, country FROM customer WHERE customer_id = ?", id)
                    .stream().findFirst()
                    .orElseThrow(() -> Rejection.notFound("customerId", "no customer \"" + id + "\""));
            List<Views.Subscription> subscriptions = Sql.rows(c,
                            "SELECT subscription_id, name FROM subscription WHERE customer_id = ? ORDER BY subscription_id", id)
                    .stream().map(r -> new Views.Subscription(r.get(0), r.get(1))).toList();
            return new Views.Customer(id, row.get(0), row.get(1), row.get(2), subscriptions);
        });
        call.ctx().json(view);
    }

    // ---- reports and cases ----

    private void receiveReport(Route.Call call) {
        Requests.Report in = call.body(Requests.Report.class);
        String id = review.receiveReport(call.by(), in.sourceType(), in.description(), in.references(), in.customerId());
        created(call.ctx(), "/v1/reports/" + id, new Views.ReportCreated(id));
    }

    private void report(Route.Call call) {
        String id = Check.id("reportId", call.path("reportId"));
        List<String> row = journal.read(c -> Sql.rows(c, "SELECT source_type, description, customer_id, received_at,"
                        + " received_by, event_idx FROM report WHERE report_id = ?", id)).stream().findFirst()
                .orElseThrow(() -> Rejection.notFound("reportId", "no report \"" + id + "\""));
        // The projection keeps references joined by newlines; the event body keeps them exactly.
        Event.ReportReceived event = (Event.ReportReceived) event(Long.parseLong(row.get(5)));
        call.ctx().json(new Views.Report(id, row.get(0), row.get(1), event.references(), row.get(2), row.get(3), row.get(4)));
    }

    private void openCase(Route.Call call) {
        Requests.Case in = call.body(Requests.Case.class);
        String id = review.openCase(call.by(), in.customerId(), in.title(), in.reportIds());
        created(call.ctx(), "/v1/cases/" + id, new Views.CaseCreated(id));
    }

    private void reviewCase(Route.Call call) {
        String id = Check.id("caseId", call.path("caseId"));
        Views.Case view = journal.read(c -> {
            List<String> row = Sql.rows(c, "SELECT customer_id, title, status, opened_at, opened_by FROM review_case"
                            + " WHERE case_id = ?", id).stream().findFirst()
                    .orElseThrow(() -> Rejection.notFound("caseId", "no case \"" + id + "\""));
            List<String> reports = Sql.rows(c, "SELECT report_id FROM case_report WHERE case_id = ? ORDER BY report_id", id)
                    .stream().map(r -> r.get(0)).toList();
            List<Views.Reviewer> reviewers = Sql.rows(c, "SELECT reviewer, outside, assigned_at, assigned_by FROM case_reviewer"
                            + " WHERE case_id = ? ORDER BY assigned_at, reviewer", id)
                    .stream().map(r -> new Views.Reviewer(r.get(0), r.get(1).equals("1"), r.get(2), r.get(3))).toList();
            List<Views.Note> notes = Sql.rows(c, "SELECT note_id, author, text, added_at FROM case_note WHERE case_id = ?"
                            + " ORDER BY event_idx", id)
                    .stream().map(r -> new Views.Note(r.get(0), r.get(1), r.get(2), r.get(3))).toList();
            List<Views.Evidence> evidence = Sql.rows(c, "SELECT evidence_id, kind, title, sha256, source, bytes, attached_by,"
                            + " attached_at FROM evidence WHERE case_id = ? ORDER BY event_idx", id)
                    .stream().map(r -> new Views.Evidence(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4),
                            Long.parseLong(r.get(5)), r.get(6), r.get(7))).toList();
            return new Views.Case(id, row.get(0), row.get(1), row.get(2), row.get(3), row.get(4), reports, reviewers,
                    notes, evidence);
        });
        call.ctx().json(view);
    }

    private void assignReviewer(Route.Call call) {
        String caseId = call.path("caseId");
        Requests.Reviewer in = call.body(Requests.Reviewer.class);
        review.assignReviewer(call.by(), caseId, in.reviewer(), Boolean.TRUE.equals(in.outside()));
        created(call.ctx(), null, new Views.ReviewerAssigned(caseId, in.reviewer()));
    }

    private void changeStatus(Route.Call call) {
        String caseId = call.path("caseId");
        Requests.Status in = call.body(Requests.Status.class);
        review.changeStatus(call.by(), caseId, in.status());
        call.ctx().json(new Views.StatusChanged(caseId, in.status()));
    }

    private void addNote(Route.Call call) {
        Requests.Note in = call.body(Requests.Note.class);
        String id = review.addNote(call.by(), call.path("caseId"), in.text());
        created(call.ctx(), null, new Views.NoteCreated(id));
    }

    private void attachEvidence(Route.Call call) {
        Requests.Evidence in = call.body(Requests.Evidence.class);
        byte[] content;
        try {
            content = in.contentBase64() == null ? null : Base64.getDecoder().decode(in.contentBase64());
        } catch (IllegalArgumentException e) {
            throw Rejection.invalid("contentBase64", "contentBase64 is not base64 (RFC 4648 §4): " + e.getMessage());
        }
        String id;
        try {
            id = review.attachEvidence(call.by(), call.path("caseId"), in.kind(), in.title(), in.source(), content);
        } catch (Rejection e) {
            throw "content".equals(e.field()) ? new Rejection(e.kind(), "contentBase64", e.getMessage()) : e;
        }
        created(call.ctx(), null, new Views.EvidenceCreated(id, Sha256.hex(content)));
    }

    /** The document itself; the command logs the read, with its purpose, before returning it. */
    private void readEvidence(Route.Call call) {
        String id = call.path("evidenceId");
        byte[] content = review.readEvidence(call.by(), id, call.ctx().queryParam("purpose"));
        Context ctx = call.ctx();
        ctx.header("Content-Disposition", "attachment");
        ctx.header("X-Content-Type-Options", "nosniff");
        // RFC 9530: the digest of what is served, the same SHA-256 the ledger's event commits to.
        byte[] digest = HexFormat.of().parseHex(Sha256.hex(content));
        ctx.header("Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(digest) + ":");
        ctx.contentType("application/octet-stream");
        ctx.result(content);
    }

    // ---- tokens ----

    private void issueToken(Route.Call call) {
        Requests.Token in = call.body(Requests.Token.class);
        Set<Role> roles = null;
        if (in.roles() != null) {
            roles = EnumSet.noneOf(Role.class);
            for (int i = 0; i < in.roles().size(); i++) {
                roles.add(role("roles[" + i + "]", in.roles().get(i)));
            }
        }
        int days = in.ttlDays() == null ? DEFAULT_TTL_DAYS : in.ttlDays();
        if (days < 1 || days > MAX_TTL_DAYS) {
            throw Rejection.invalid("ttlDays", "ttlDays must be 1 to " + MAX_TTL_DAYS + " (got " + days + ")");
        }
        Tokens.Issued issued = tokens.issue(call.by(), in.principalId(), roles, in.customerId(), Duration.ofDays(days));
        created(call.ctx(), null, new Views.TokenCreated(issued.tokenId(), issued.secret(), issued.expiresAt().toString()));
    }

    private void revokeToken(Route.Call call) {
        String id = call.path("tokenId");
        if (id.startsWith(Tokens.PREFIX)) { // never echo a secret
            throw Rejection.invalid("tokenId", "tokenId is a token's secret, not its id (tok-...)");
        }
        tokens.revoke(call.by(), id);
        call.ctx().status(HttpStatus.NO_CONTENT);
    }

    private static Role role(String field, String wire) {
        for (Role r : Role.values()) {
            if (r.wire().equals(wire)) {
                return r;
            }
        }
        throw Rejection.invalid(field, field + ": \"" + wire + "\" is not one of: "
                + Arrays.stream(Role.values()).filter(r -> r != Role.SYSTEM).map(Role::wire).collect(Collectors.joining(", ")));
    }

    // ---- ledger ----

    /** An entry with its private body, for an auditor to check {@code bodyHash} and the entry's inclusion. */
    private void ledgerEntry(Route.Call call) {
        long index = entryIndex(call);
        byte[] entry = journal.ledger().entry(index);
        Views.Envelope envelope = null;
        try {
            Envelope e = Envelope.decode(entry);
            envelope = new Views.Envelope(e.version(), e.type(), e.at().toString(), e.bodyHash().base64());
        } catch (IllegalArgumentException notAnEvent) {
            // an entry that is not an event envelope is served as it is, without a body
        }
        Optional<byte[][]> body = privateBody(index);
        Base64.Encoder b64 = Base64.getEncoder();
        call.ctx().json(new Views.LedgerEntry(index, b64.encodeToString(entry), envelope,
                body.map(b -> b64.encodeToString(b[0])).orElse(null), body.map(b -> b64.encodeToString(b[1])).orElse(null)));
    }

    // ---- decisions over HTTP ----

    /** The most requests one batch call may carry. */
    static final int MAX_BATCH = 1000;

    private void decide(Route.Call call) {
        Decider d = enforcement.current();
        call.ctx().json(view(decideOne(d, call.body(Requests.Decide.class), "")));
    }

    private void decideBatch(Route.Call call) {
        Requests.DecideBatch in = call.body(Requests.DecideBatch.class);
        List<Requests.Decide> requests = require(in.requests(), "requests");
        if (requests.size() > MAX_BATCH) {
            throw Rejection.invalid("requests", "a batch holds at most " + MAX_BATCH + " requests, not " + requests.size());
        }
        Decider d = enforcement.current();
        List<Views.Decision> answers = new java.util.ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) {
            answers.add(view(decideOne(d, require(requests.get(i), "requests[" + i + "]"), "requests[" + i + "].")));
        }
        call.ctx().json(new Views.DecisionBatch(d.treeSize(), answers));
    }

    private void decisionLog(Route.Call call) {
        call.ctx().json(enforcement.stats());
    }

    /**
     * The server's figures in the Prometheus text exposition format (version 0.0.4), for a
     * scraper holding a follower, auditor or admin token.
     */
    private void metrics(Route.Call call) {
        Enforcement.LogStats log = enforcement.stats();
        Enforcement.Counts answered = enforcement.counts();
        StringBuilder out = new StringBuilder(1024);
        metric(out, "warden_ledger_size", "gauge", "Entries in the ledger's latest checkpoint.", journal.ledger().size());
        metric(out, "warden_ledger_commits_total", "counter", "Ledger transactions committed since start.",
                journal.ledger().commits());
        metric(out, "warden_watch_streams", "gauge", "Open checkpoint watch streams.", watch.watchers());
        metric(out, "warden_watch_announcements_total", "counter", "Checkpoints announced to watchers since start.",
                watch.announcements());
        out.append("# HELP warden_decisions_total Decisions answered by this server since start.\n")
                .append("# TYPE warden_decisions_total counter\n")
                .append("warden_decisions_total{answer=\"allow\"} ").append(answered.allow()).append('\n')
                .append("warden_decisions_total{answer=\"deny\"} ").append(answered.deny()).append('\n');
        metric(out, "warden_decision_log_written_total", "counter", "Decision log entries written.", log.logged());
        metric(out, "warden_decision_log_dropped_total", "counter",
                "Decision log entries dropped because the log's queue was full.", log.dropped());
        metric(out, "warden_decision_log_queued", "gauge", "Decision log entries waiting to be written.", log.queued());
        call.ctx().contentType("text/plain; version=0.0.4; charset=utf-8");
        call.ctx().result(out.toString());
    }

    private static void metric(StringBuilder out, String name, String type, String help, long value) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n')
                .append("# TYPE ").append(name).append(' ').append(type).append('\n')
                .append(name).append(' ').append(value).append('\n');
    }

    private Answer decideOne(Decider d, Requests.Decide in, String prefix) {
        String subscription = Check.id(prefix + "subscription", in.subscription());
        String service = Check.id(prefix + "service", in.service());
        String region = Check.id(prefix + "region", in.region());
        dev.warden.enforcement.Operation op = dev.warden.enforcement.Operation.valueOf(
                Check.wire(Operation.class, prefix + "operation", in.operation()).name());
        Instant at = in.at() == null ? journal.clock().instant() : instant(prefix + "at", in.at(), true);
        return enforcement.decide(d, subscription, service, op, region, at.getEpochSecond());
    }

    private static Views.Decision view(Answer a) {
        return a instanceof Answer.Deny d
                ? new Views.Decision("deny", d.treeSize(), d.restrictionId(), d.caseRef(), d.reasonCode())
                : new Views.Decision("allow", a.treeSize(), null, null, null);
    }

    /** The event types a decision-point follower may read: those that change restrictions. */
    static final Set<String> ENFORCEMENT_TYPES = dev.warden.enforcement.Follower.ENFORCEMENT_TYPES;

    /** For followers: the private body of an event that changes restrictions, and of no other. */
    private void enforcementEntry(Route.Call call) {
        long index = entryIndex(call);
        Envelope envelope;
        try {
            envelope = Envelope.decode(journal.ledger().entry(index));
        } catch (IllegalArgumentException e) {
            throw Rejection.notFound("index", "entry " + index + " is not an event");
        }
        if (!ENFORCEMENT_TYPES.contains(envelope.type())) {
            throw Rejection.notFound("index", "entry " + index + " is not an event that changes restrictions");
        }
        byte[][] body = privateBody(index)
                .orElseThrow(() -> new IllegalStateException("entry " + index + " has lost its private body"));
        Base64.Encoder b64 = Base64.getEncoder();
        call.ctx().json(new Views.EnforcementEntry(index, envelope.type(), b64.encodeToString(body[0]),
                b64.encodeToString(body[1])));
    }

    /** The {@code {index}} of the path: a ledger index below the log's size (caught up first, as another writer may have appended it). */
    private long entryIndex(Route.Call call) {
        String raw = call.path("index");
        long index;
        try {
            index = raw.matches("0|[1-9][0-9]{0,18}") ? Long.parseLong(raw) : -1;
        } catch (NumberFormatException e) {
            index = -1;
        }
        if (index < 0) {
            throw Rejection.invalid("index", "index must be a non-negative integer (got \"" + clip(raw) + "\")");
        }
        if (index >= journal.ledger().size()) {
            journal.ledger().sync();
        }
        long size = journal.ledger().size();
        if (index >= size) {
            throw Rejection.notFound("index", "no entry " + index + ": the log has " + size + " entries");
        }
        return index;
    }

    /** The salt and body stored for the event at {@code index}, if it is one. */
    private Optional<byte[][]> privateBody(long index) {
        return journal.read(c -> {
            try (PreparedStatement s = c.prepareStatement("SELECT salt, body FROM event_body WHERE idx = ?")) {
                s.setLong(1, index);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? Optional.of(new byte[][] {rs.getBytes(1), rs.getBytes(2)}) : Optional.empty();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("couldn't read the body of entry " + index + ": " + e.getMessage(), e);
            }
        });
    }

    /** The event at {@code index}, its body checked against the envelope in the ledger. */
    private Event event(long index) {
        byte[][] body = privateBody(index)
                .orElseThrow(() -> new IllegalStateException("entry " + index + " has lost its private body"));
        return EventCodec.open(Envelope.decode(journal.ledger().entry(index)), body[0], body[1]).event();
    }

    // ---- decisions ----

    private void proposeDecision(Route.Call call) {
        Requests.Decision in = call.body(Requests.Decision.class);
        Requests.Scope sc = require(in.scope(), "scope");
        SortedSet<Operation> operations = new TreeSet<>();
        List<String> ops = sc.operations() == null ? List.of() : sc.operations();
        for (int i = 0; i < ops.size(); i++) {
            operations.add(Check.wire(Operation.class, "scope.operations[" + i + "]", ops.get(i)));
        }
        Event.Scope scope = new Event.Scope(sc.subscriptions(), sc.services(), sc.categories(), operations, sc.regions(),
                sc.carveOuts());
        Requests.Timeline t = require(in.timeline(), "timeline");
        Event.Timeline timeline = new Event.Timeline(instant("timeline.noticeAt", t.noticeAt(), true),
                instant("timeline.effectiveAt", t.effectiveAt(), true),
                instant("timeline.retrievalUntil", t.retrievalUntil(), true), instant("timeline.endAt", t.endAt(), false));
        Requests.Grounds g = require(in.grounds(), "grounds");
        Event.Grounds grounds = new Event.Grounds(g.clauses() == null ? List.of() : g.clauses(), g.facts(), g.rationale(),
                Boolean.TRUE.equals(g.automatedDetection()));
        Duration window = null;
        if (in.appealWindowDays() != null) {
            if (in.appealWindowDays() < 0 || in.appealWindowDays() > 365) {
                throw Rejection.invalid("appealWindowDays", "appealWindowDays must be 0 to 365");
            }
            window = Duration.ofDays(in.appealWindowDays());
        }
        String id = decisions.propose(call.by(), new Decisions.Proposal(call.path("caseId"), scope, timeline, grounds,
                in.reasonCode(), in.lifts(), window));
        created(call.ctx(), "/v1/decisions/" + id, new Views.DecisionCreated(id));
    }

    private void decision(Route.Call call) {
        call.ctx().json(decisions.view(call.by(), call.path("decisionId")));
    }

    private void impact(Route.Call call) {
        call.ctx().json(decisions.preview(call.by(), call.path("decisionId")));
    }

    private void approve(Route.Call call) {
        String id = call.path("decisionId");
        Decisions.Outcome outcome = decisions.approve(call.by(), id);
        call.ctx().json(new Views.ApprovalRecorded(id, outcome.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')));
    }

    private void applyEmergency(Route.Call call) {
        String id = call.path("decisionId");
        decisions.applyEmergency(call.by(), id);
        call.ctx().json(new Views.EmergencyApplied(id));
    }

    // ---- notices and appeals ----

    private void configureWebhook(Route.Call call) {
        Requests.Webhook in = call.body(Requests.Webhook.class);
        notices.configureWebhook(call.by(), call.path("customerId"), in.url(), in.secret());
        call.ctx().status(HttpStatus.NO_CONTENT);
    }

    private void notices(Route.Call call) {
        String customer = call.ctx().queryParam("customerId");
        call.ctx().json(notices.list(call.by(), customer == null ? null : Check.id("customerId", customer)));
    }

    private void findings(Route.Call call) {
        String customer = call.ctx().queryParam("customerId");
        call.ctx().json(findings.list(call.by(), customer == null ? null : Check.id("customerId", customer)));
    }

    private void notice(Route.Call call) {
        call.ctx().contentType("application/json");
        call.ctx().result(notices.document(call.by(), call.path("noticeId")));
    }

    private void fileAppeal(Route.Call call) {
        Requests.Appeal in = call.body(Requests.Appeal.class);
        String id = appeals.file(call.by(), in.decisionId(), in.statement());
        created(call.ctx(), "/v1/appeals/" + id, new Views.AppealCreated(id));
    }

    private void appeal(Route.Call call) {
        call.ctx().json(appeals.view(call.by(), call.path("appealId")));
    }

    private void assignAppeal(Route.Call call) {
        Requests.AppealAssignment in = call.body(Requests.AppealAssignment.class);
        appeals.assign(call.by(), call.path("appealId"), in.reviewer());
        call.ctx().json(new Views.AppealAssigned(call.path("appealId"), in.reviewer()));
    }

    private void decideAppeal(Route.Call call) {
        Requests.AppealDecision in = call.body(Requests.AppealDecision.class);
        appeals.decide(call.by(), call.path("appealId"), in.outcome(), in.reasons(), in.lifted());
        call.ctx().json(new Views.AppealDecided(call.path("appealId"), in.outcome()));
    }

    private static <T> T require(T value, String field) {
        if (value == null) {
            throw Rejection.invalid(field, field + " is required");
        }
        return value;
    }

    private static Instant instant(String field, String value, boolean required) {
        if (value == null) {
            if (required) {
                throw Rejection.invalid(field, field + " is required");
            }
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw Rejection.invalid(field, field + " is not an ISO 8601 instant such as 2026-12-01T00:00:00Z");
        }
    }

    // ---- helpers ----

    private static void created(Context ctx, String location, Object view) {
        if (location != null) {
            ctx.header("Location", location);
        }
        ctx.status(HttpStatus.CREATED);
        ctx.json(view);
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "…" : s;
    }

    private static Route get(String path, Set<Role> roles, Route.Endpoint endpoint) {
        return new Route(HandlerType.GET, path, roles, null, 0, false, endpoint);
    }

    private static Route caseGet(String path, Set<Role> roles, Route.Endpoint endpoint) {
        return new Route(HandlerType.GET, path, roles, null, 0, true, endpoint);
    }

    private static Route post(String path, Set<Role> roles, Class<? extends Record> body, Route.Endpoint endpoint) {
        return new Route(HandlerType.POST, path, roles, body, Route.MIB, false, endpoint);
    }

    private static Route casePost(String path, Set<Role> roles, Class<? extends Record> body, long maxBytes,
            Route.Endpoint endpoint) {
        return new Route(HandlerType.POST, path, roles, body, maxBytes, true, endpoint);
    }
}
