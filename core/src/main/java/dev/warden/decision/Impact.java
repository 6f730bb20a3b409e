package dev.warden.decision;

import dev.warden.event.Event.Scope;
import dev.warden.event.Sql;
import dev.warden.event.Vocabulary.Operation;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The impact of a decision's scope on its customer, computed before approval: for each affected
 * subscription, the services and operations denied; and everything of the customer's that keeps
 * running. Usage figures come with the usage import; until then {@code recentUsage} is null.
 */
public record Impact(List<Affected> affected, List<String> unaffectedSubscriptions, List<String> servicesKeptRunning,
        String recentUsage) {

    /** One affected subscription: the services of the catalog it loses, for which operations. */
    public record Affected(String subscriptionId, String name, List<String> services, Set<Operation> operations) {
    }

    static Impact of(Connection c, String customerId, Scope s) {
        Set<String> services = new TreeSet<>(s.services());
        for (String category : s.categories()) {
            for (List<String> row : Sql.rows(c, "SELECT service FROM service WHERE category = ?", category)) {
                services.add(row.get(0));
            }
        }
        services.removeAll(s.carveOuts());
        Set<Operation> operations = s.operations().isEmpty() ? EnumSet.allOf(Operation.class) : EnumSet.copyOf(s.operations());
        List<Affected> affected = new ArrayList<>();
        List<String> unaffected = new ArrayList<>();
        for (List<String> row : Sql.rows(c,
                "SELECT subscription_id, name FROM subscription WHERE customer_id = ? ORDER BY subscription_id", customerId)) {
            if (s.subscriptions().isEmpty() || s.subscriptions().contains(row.get(0))) {
                if (!services.isEmpty()) {
                    affected.add(new Affected(row.get(0), row.get(1), List.copyOf(services), operations));
                }
            } else {
                unaffected.add(row.get(0));
            }
        }
        List<String> kept = new ArrayList<>();
        for (List<String> row : Sql.rows(c, "SELECT service FROM service ORDER BY service")) {
            if (!services.contains(row.get(0))) {
                kept.add(row.get(0));
            }
        }
        return new Impact(affected, unaffected, kept, null);
    }
}
