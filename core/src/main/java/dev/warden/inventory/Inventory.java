package dev.warden.inventory;

import dev.warden.event.Check;
import dev.warden.event.Event;
import dev.warden.event.Journal;
import dev.warden.event.Rejection;
import dev.warden.event.Sql;
import dev.warden.event.Vocabulary.CustomerType;
import dev.warden.event.Vocabulary.Operation;
import dev.warden.principal.Principal;
import dev.warden.principal.Role;

import java.util.Set;
import java.util.TreeSet;

/**
 * The provider's inventory: customers (billing accounts), their subscriptions, the service
 * catalog and regions. Admins register them; usage imports will too.
 */
public final class Inventory {
    /** FOCUS 1.x ServiceCategory values. */
    public static final Set<String> CATEGORIES = Set.of("AI and Machine Learning", "Analytics", "Business Applications",
            "Compute", "Databases", "Developer Tools", "Multicloud", "Identity", "Integration", "Internet of Things",
            "Management and Governance", "Media", "Migration", "Mobile", "Networking", "Security", "Storage", "Web",
            "Other");

    private final Journal journal;

    public Inventory(Journal journal) {
        this.journal = journal;
    }

    public void registerCustomer(Principal by, String customerId, String name, String type, String country) {
        journal.run(by, ctx -> registerCustomer(ctx, customerId, name, type, country));
    }

    static long registerCustomer(Journal.Context ctx, String customerId, String name, String type, String country) {
        Check.role(ctx.by(), Role.ADMIN, Role.SYSTEM);
        Check.id("customerId", customerId);
        Check.text("name", name, 512);
        CustomerType t = Check.wire(CustomerType.class, "customerType", type);
        if (country == null || !country.matches("[A-Z]{2}")) {
            throw Rejection.invalid("country", "country must be an ISO 3166-1 alpha-2 code such as DE");
        }
        if (Sql.one(ctx.connection(), "SELECT 1 FROM customer WHERE customer_id = ?", customerId).isPresent()) {
            throw Rejection.conflict("customer \"" + customerId + "\" is already registered");
        }
        return ctx.emit(new Event.CustomerRegistered(customerId, name, t, country));
    }

    public void registerSubscription(Principal by, String subscriptionId, String customerId, String name) {
        journal.run(by, ctx -> registerSubscription(ctx, subscriptionId, customerId, name));
    }

    static long registerSubscription(Journal.Context ctx, String subscriptionId, String customerId, String name) {
        Check.role(ctx.by(), Role.ADMIN, Role.SYSTEM);
        Check.id("subscriptionId", subscriptionId);
        Check.id("customerId", customerId);
        Check.text("name", name, 512);
        if (Sql.one(ctx.connection(), "SELECT 1 FROM customer WHERE customer_id = ?", customerId).isEmpty()) {
            throw Rejection.notFound("customerId", "no customer \"" + customerId + "\"");
        }
        if (Sql.one(ctx.connection(), "SELECT 1 FROM subscription WHERE subscription_id = ?", subscriptionId).isPresent()) {
            throw Rejection.conflict("subscription \"" + subscriptionId + "\" is already registered");
        }
        return ctx.emit(new Event.SubscriptionRegistered(subscriptionId, customerId, name));
    }

    public void registerService(Principal by, String service, String category, Set<String> operations) {
        journal.run(by, ctx -> registerService(ctx, service, category, operations));
    }

    static long registerService(Journal.Context ctx, String service, String category, Set<String> operations) {
        Check.role(ctx.by(), Role.ADMIN, Role.SYSTEM);
        Check.id("service", service);
        if (category == null || !CATEGORIES.contains(category)) {
            throw Rejection.invalid("category", "category must be a FOCUS ServiceCategory, such as Storage or "
                    + "\"AI and Machine Learning\"");
        }
        if (operations == null || operations.isEmpty()) {
            throw Rejection.invalid("operations", "a service supports at least one operation class");
        }
        TreeSet<Operation> ops = new TreeSet<>();
        for (String o : operations) {
            ops.add(Check.wire(Operation.class, "operations", o));
        }
        if (Sql.one(ctx.connection(), "SELECT 1 FROM service WHERE service = ?", service).isPresent()) {
            throw Rejection.conflict("service \"" + service + "\" is already registered");
        }
        return ctx.emit(new Event.ServiceRegistered(service, category, ops));
    }

    public void registerRegion(Principal by, String region, String name) {
        journal.run(by, ctx -> registerRegion(ctx, region, name));
    }

    static long registerRegion(Journal.Context ctx, String region, String name) {
        Check.role(ctx.by(), Role.ADMIN, Role.SYSTEM);
        Check.id("region", region);
        Check.text("name", name, 256);
        if (Sql.one(ctx.connection(), "SELECT 1 FROM region WHERE region = ?", region).isPresent()) {
            throw Rejection.conflict("region \"" + region + "\" is already registered");
        }
        return ctx.emit(new Event.RegionRegistered(region, name));
    }

}
