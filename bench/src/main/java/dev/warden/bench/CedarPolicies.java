package dev.warden.bench;

import com.cedarpolicy.BasicAuthorizationEngine;
import com.cedarpolicy.model.AuthorizationRequest;
import com.cedarpolicy.model.AuthorizationResponse;
import com.cedarpolicy.model.AuthorizationSuccessResponse;
import com.cedarpolicy.model.Context;
import com.cedarpolicy.model.exception.AuthException;
import com.cedarpolicy.model.policy.Policy;
import com.cedarpolicy.model.policy.PolicySet;
import com.cedarpolicy.value.EntityTypeName;
import com.cedarpolicy.value.EntityUID;
import com.cedarpolicy.value.PrimLong;
import com.cedarpolicy.value.PrimString;
import dev.warden.enforcement.Operation;
import dev.warden.enforcement.Restriction;

import java.util.Collection;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Warden restrictions as Cedar {@code forbid} policies, and a {@code decide} through Cedar, for
 * the comparison of issue 4.
 *
 * <p>The model: the principal is {@code Subscription::"<id>"}, the action
 * {@code Action::"<operation>"} (lower case), the resource {@code Service::"<service>"}, and the
 * context holds {@code region} (a string) and {@code now} (epoch seconds); there is no entity data,
 * every condition reads the request alone. One {@code permit} of everything stands for Warden's
 * default ALLOW ("Warden only subtracts"); each restriction is one {@code forbid} whose policy id
 * is the restriction id, so a Cedar DENY names the restriction as Warden's does.
 */
final class CedarPolicies {
    private static final EntityTypeName SUBSCRIPTION = type("Subscription");
    private static final EntityTypeName SERVICE = type("Service");
    private static final EntityUID[] ACTIONS = new EntityUID[Operation.values().length];

    static {
        for (Operation o : Operation.values()) {
            ACTIONS[o.ordinal()] = new EntityUID(type("Action"), action(o));
        }
    }

    private CedarPolicies() {
    }

    /**
     * The policy that denies what {@code r} denies (DESIGN.md, "Decision semantics"; {@link
     * Restriction}): in force from {@code effectiveAt} (inclusive) to {@code endAt} (exclusive, left
     * out when open), read and export allowed before {@code retrievalUntil}, carve-outs as
     * {@code unless}. No regions means everywhere, no operations means all of them. {@code noticeAt}
     * denies nothing by itself (the notice period ends at {@code effectiveAt}), so it is an
     * annotation only.
     */
    static String forbid(Restriction r) {
        StringBuilder p = new StringBuilder();
        p.append("@noticeAt(\"").append(r.noticeAt()).append("\")\n");
        p.append("@case(").append(quote(r.caseRef())).append(")\n");
        p.append("@reason(").append(quote(r.reasonCode())).append(")\n");
        p.append("forbid (\n  principal == Subscription::").append(quote(r.subscription())).append(",\n  action");
        if (!r.operations().isEmpty()) {
            p.append(" in ").append(actions(r.operations()));
        }
        p.append(",\n  resource\n)\n");
        p.append("when { ").append(services(r.services())).append(".contains(resource)");
        if (!r.regions().isEmpty()) {
            p.append(" && ").append(strings(r.regions())).append(".contains(context.region)");
        }
        p.append(" && context.now >= ").append(r.effectiveAt());
        if (r.endAt() != Restriction.OPEN_END) {
            p.append(" && context.now < ").append(r.endAt());
        }
        p.append(" }\n");
        if (r.retrievalUntil() > r.effectiveAt()) {
            p.append("unless { context.now < ").append(r.retrievalUntil()).append(" && action in ")
                    .append(actions(Set.of(Operation.READ, Operation.EXPORT))).append(" }\n");
        }
        if (!r.carveOuts().isEmpty()) {
            p.append("unless { ").append(services(r.carveOuts())).append(".contains(resource) }\n");
        }
        p.setLength(p.length() - 1);
        return p.append(";").toString();
    }

    /** Warden's default ALLOW and one {@link #forbid} per restriction, parsed and cached in Cedar's native side. */
    static PolicySet policySet(Collection<Restriction> restrictions) {
        Set<Policy> policies = new HashSet<>();
        policies.add(new Policy("permit (principal, action, resource);", "allow-by-default"));
        for (Restriction r : restrictions) {
            policies.add(new Policy(forbid(r), r.id()));
        }
        PolicySet set = new PolicySet(policies);
        try {
            set.cache();
        } catch (Exception e) {
            throw new IllegalStateException("couldn't cache a cedar policy set of " + policies.size() + " policies", e);
        }
        return set;
    }

    /**
     * Cedar's answer to Warden's {@code decide(subscription, service, operation, region, at)}.
     * Fails loudly where Cedar would quietly skip a policy it could not evaluate (a skipped
     * {@code forbid} would allow).
     */
    static AuthorizationSuccessResponse decide(BasicAuthorizationEngine engine, PolicySet policies,
            String subscription, String service, Operation operation, String region, long at) throws AuthException {
        AuthorizationRequest request = new AuthorizationRequest(new EntityUID(SUBSCRIPTION, subscription),
                ACTIONS[operation.ordinal()], new EntityUID(SERVICE, service),
                new Context(Map.of("region", new PrimString(region), "now", new PrimLong(at))));
        AuthorizationResponse response = engine.isAuthorized(request, policies, Set.of());
        AuthorizationSuccessResponse success = response.success.orElseThrow(
                () -> new IllegalStateException("couldn't authorize " + request + " with cedar: " + response));
        if (!success.getErrors().isEmpty()) {
            throw new IllegalStateException("couldn't evaluate a cedar policy for " + request + ": " + success.getErrors());
        }
        return success;
    }

    private static String action(Operation o) {
        return o.name().toLowerCase(Locale.ROOT);
    }

    private static String actions(Set<Operation> operations) {
        return operations.stream().sorted().map(o -> "Action::" + quote(action(o))).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String services(Set<String> services) {
        return services.stream().sorted().map(s -> "Service::" + quote(s)).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String strings(Set<String> values) {
        return values.stream().sorted().map(CedarPolicies::quote).collect(Collectors.joining(", ", "[", "]"));
    }

    private static String quote(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    private static EntityTypeName type(String name) {
        return EntityTypeName.parse(name).orElseThrow();
    }
}
