/**
 * Helpers shared by the ledger's packages. Public only so that those packages can reach them:
 * not API, and free to change without notice.
 */
package dev.warden.ledger.internal;
