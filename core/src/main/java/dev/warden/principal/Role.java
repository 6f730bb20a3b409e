package dev.warden.principal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What a principal may do. Enforced on the server, never only in a user interface. */
public enum Role {
    /** Triages reports, opens cases, attaches evidence. */
    ANALYST,
    /** Reviews cases assigned to them, adds findings and notes. */
    REVIEWER,
    /** Approves proposed decisions; never their own. */
    APPROVER,
    /** Manages inventory, tokens and grants. */
    ADMIN,
    /** Reads everything, including ledger entries and bodies; changes nothing. */
    AUDITOR,
    /**
     * The emergency grant, held beside {@code approver}: one holder may make a decision effective
     * at once; it lapses after 72 hours without a second approval.
     */
    EMERGENCY,
    /** A decision-point follower: reads the bodies of the events that change restrictions, nothing else. */
    FOLLOWER,
    /** A customer: only its own notices and appeals. */
    CUSTOMER,
    /** The system itself: scheduled lapses, imports. */
    SYSTEM;

    @JsonValue
    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Role fromWire(String wire) {
        for (Role r : values()) {
            if (r.wire().equals(wire)) {
                return r;
            }
        }
        throw new IllegalArgumentException("unknown role \"" + wire + "\"");
    }
}
