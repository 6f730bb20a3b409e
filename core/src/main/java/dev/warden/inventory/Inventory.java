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

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The provider's inventory: customers (billing accounts), their subscriptions, the service
 * catalog and regions. Admins register them; usage imports register what their records name
 * ({@link #registerAll}).
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

    /** A customer for {@link #registerAll}. */
    public record Customer(String customerId, String name, String type, String country) {
    }

    /** A subscription for {@link #registerAll}. */
    public record Subscription(String subscriptionId, String customerId, String name) {
    }

    /** A service for {@link #registerAll}. */
    public record Service(String service, String category, Set<String> operations) {
    }

    /** A region for {@link #registerAll}. */
    public record Region(String region, String name) {
    }

    /**
     * What {@link #registerAll} did: how many of each it registered, how many were already
     * registered with the same values, and which ids it left alone because they are registered
     * with other values (as {@code "customer acct-1"}).
     */
    public record Registered(int customers, int subscriptions, int services, int regions, int unchanged,
                             List<String> differing) {
        public Registered {
            differing = List.copyOf(differing);
        }
    }

    /**
     * Registers, in one command (all or nothing), every customer, subscription, service and region
     * whose id is not registered yet, customers before their subscriptions. An id already
     * registered is skipped, whatever its values: what an admin registered wins over what a usage
     * export says (a usage export knows no country, for one); ids registered with other values are
     * named in {@link Registered#differing()} so that the caller can say so.
     *
     * @throws dev.warden.event.Rejection if an item is invalid; nothing was registered then
     */
    public Registered registerAll(Principal by, List<Customer> customers, List<Subscription> subscriptions,
                                  List<Service> services, List<Region> regions) {
        return journal.run(by, ctx -> {
            int[] added = new int[4];
            Skipped skipped = new Skipped();
            for (Customer c : customers) {
                if (skipped.absent(ctx, "customer", c.customerId(), "SELECT name, customer_type, country FROM customer"
                        + " WHERE customer_id = ?", c.name(), c.type(), c.country())) {
                    registerCustomer(ctx, c.customerId(), c.name(), c.type(), c.country());
                    added[0]++;
                }
            }
            for (Subscription s : subscriptions) {
                if (skipped.absent(ctx, "subscription", s.subscriptionId(), "SELECT customer_id, name FROM subscription"
                        + " WHERE subscription_id = ?", s.customerId(), s.name())) {
                    registerSubscription(ctx, s.subscriptionId(), s.customerId(), s.name());
                    added[1]++;
                }
            }
            for (Service s : services) {
                if (skipped.absent(ctx, "service", s.service(), "SELECT category FROM service WHERE service = ?",
                        s.category())) {
                    registerService(ctx, s.service(), s.category(), s.operations());
                    added[2]++;
                }
            }
            for (Region r : regions) {
                if (skipped.absent(ctx, "region", r.region(), "SELECT name FROM region WHERE region = ?", r.name())) {
                    registerRegion(ctx, r.region(), r.name());
                    added[3]++;
                }
            }
            return new Registered(added[0], added[1], added[2], added[3], skipped.unchanged, skipped.differing);
        });
    }

    /** The ids {@link #registerAll} skips because they are registered already. */
    private static final class Skipped {
        int unchanged;
        final List<String> differing = new ArrayList<>();

        /** True if {@code id} is not registered; otherwise counts it as unchanged or differing from {@code values}. */
        boolean absent(Journal.Context ctx, String kind, String id, String select, String... values) {
            List<List<String>> found = Sql.rows(ctx.connection(), select, id);
            if (found.isEmpty()) {
                return true;
            }
            if (found.get(0).equals(Arrays.asList(values))) {
                unchanged++;
            } else {
                differing.add(kind + " " + id);
            }
            return false;
        }
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
