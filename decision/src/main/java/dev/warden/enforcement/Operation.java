package dev.warden.enforcement;

/** The operation classes a request can be of (DESIGN.md, Vocabulary). */
public enum Operation {
    PROVISION, WRITE, READ, EXPORT, INVOKE, DELETE, ADMIN;

    /** Inside the retrieval window these stay allowed, so the customer can move its data out. */
    boolean retrieves() {
        return this == READ || this == EXPORT;
    }
}
