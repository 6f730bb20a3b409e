package dev.warden.server;

import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request the server refuses, answered as RFC 9457 problem details: {@code type} (always
 * {@code about:blank}, so {@code title} is the status phrase), {@code title}, {@code status},
 * {@code detail}, {@code instance} (the request path, never its query), and {@code field} where one
 * input field is at fault.
 */
final class Problem extends RuntimeException {
    static final String MEDIA_TYPE = "application/problem+json";

    private final HttpStatus status;
    private final String field;

    Problem(HttpStatus status, String field, String detail) {
        super(detail, null, false, false);
        this.status = status;
        this.field = field;
    }

    static Problem badRequest(String field, String detail) {
        return new Problem(HttpStatus.BAD_REQUEST, field, detail);
    }

    HttpStatus status() {
        return status;
    }

    String field() {
        return field;
    }

    /** Writes this problem as the response. */
    void write(Context ctx) {
        write(ctx, status, status.getMessage(), getMessage(), field);
    }

    /** Writes problem details as the response; {@code field} may be null. */
    static void write(Context ctx, HttpStatus status, String title, String detail, String field) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", title);
        body.put("status", status.getCode());
        body.put("detail", detail);
        body.put("instance", ctx.path());
        if (field != null) {
            body.put("field", field);
        }
        ctx.attribute(MEDIA_TYPE, Boolean.TRUE);
        ctx.status(status);
        ctx.json(body);
        ctx.contentType(MEDIA_TYPE);
    }
}
