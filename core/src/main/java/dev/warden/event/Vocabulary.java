package dev.warden.event;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/** The closed vocabularies of DESIGN.md, as they appear in events and in the API. */
public final class Vocabulary {
    private Vocabulary() {
    }

    /** What kind of billing account a customer is. */
    public enum CustomerType {
        GOVERNMENT, BUSINESS, INDIVIDUAL;

        @JsonValue
        public String wire() {
            return Wire.name(this);
        }

        @JsonCreator
        public static CustomerType of(String wire) {
            return Wire.parse(CustomerType.class, wire);
        }
    }

    /** Operation classes a service supports and a restriction may cover. */
    public enum Operation {
        PROVISION, WRITE, READ, EXPORT, INVOKE, DELETE, ADMIN;

        @JsonValue
        public String wire() {
            return Wire.name(this);
        }

        @JsonCreator
        public static Operation of(String wire) {
            return Wire.parse(Operation.class, wire);
        }
    }

    /** Where an allegation came from. */
    public enum SourceType {
        PRESS, NGO, EMPLOYEE, GOVERNMENT, TRUSTED_FLAGGER, CUSTOMER_COMPLAINT, AUTOMATED_FINDING;

        @JsonValue
        public String wire() {
            return Wire.name(this);
        }

        @JsonCreator
        public static SourceType of(String wire) {
            return Wire.parse(SourceType.class, wire);
        }
    }

    /** The states of a case. */
    public enum CaseStatus {
        OPEN, UNDER_REVIEW, DECISION_PROPOSED, DECIDED, ENFORCING, UNDER_APPEAL, CLOSED;

        @JsonValue
        public String wire() {
            return Wire.name(this);
        }

        @JsonCreator
        public static CaseStatus of(String wire) {
            return Wire.parse(CaseStatus.class, wire);
        }
    }

    /**
     * Typed business records a case may hold. Customer content is deliberately not a kind: there
     * is no way to attach it.
     */
    public enum EvidenceKind {
        BILLING_EXTRACT, CONTRACT, SUPPORT_TICKET, SALES_NOTE, PUBLIC_REPORT, FINDING;

        @JsonValue
        public String wire() {
            return Wire.name(this);
        }

        @JsonCreator
        public static EvidenceKind of(String wire) {
            return Wire.parse(EvidenceKind.class, wire);
        }
    }
}
