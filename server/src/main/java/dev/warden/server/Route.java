package dev.warden.server;

import dev.warden.principal.Principal;
import dev.warden.principal.Role;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

import java.util.Objects;
import java.util.Set;

/**
 * One row of the API's route table ({@link Api#ROUTES}): a method and path, the roles that may
 * call it, its JSON request type and byte limit, and whether it acts on one case.
 *
 * @param roles      the principal must hold one of them, checked before the body is read; the
 *                   command checks again
 * @param body       the JSON request record, or null for a route without a body
 * @param maxBytes   the largest request body accepted; 0 without a body
 * @param caseScoped the path names a {@code {caseId}}, and a principal that is only a reviewer
 *                   must be assigned to that case
 */
record Route(HandlerType method, String path, Set<Role> roles, Class<? extends Record> body, long maxBytes,
        boolean caseScoped, Endpoint endpoint) {

    /** The largest JSON body of an ordinary route: 1 MiB. */
    static final long MIB = 1024 * 1024;

    Route {
        Objects.requireNonNull(method, "method");
        if (!path.startsWith(Api.PREFIX + "/")) {
            throw new IllegalArgumentException("route \"" + path + "\" is not under " + Api.PREFIX);
        }
        roles = Set.copyOf(roles);
        if (roles.isEmpty() || roles.contains(Role.SYSTEM)) {
            throw new IllegalArgumentException("route \"" + path + "\" must name roles a token can hold");
        }
        if ((body == null) != (maxBytes == 0)) {
            throw new IllegalArgumentException("route \"" + path + "\" has a byte limit exactly when it has a body");
        }
        if (caseScoped && !path.contains("{caseId}")) {
            throw new IllegalArgumentException("route \"" + path + "\" is case-scoped but names no {caseId}");
        }
    }

    /** A route's handler: {@code api} runs it for the authenticated, authorised {@code call}. */
    @FunctionalInterface
    interface Endpoint {
        void handle(Api api, Call call) throws Exception;
    }

    /** A request that passed authentication and the role check, with its body read. */
    record Call(Context ctx, Principal by, Object body) {
        <T> T body(Class<T> type) {
            return type.cast(body);
        }

        String path(String name) {
            return ctx.pathParam(name);
        }
    }

    /** {@code GET /v1/x}, as written in the OpenAPI document's keys. */
    String key() {
        return method + " " + path;
    }
}
