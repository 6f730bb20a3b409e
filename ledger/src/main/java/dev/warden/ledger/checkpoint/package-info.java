/**
 * C2SP transparency log checkpoints (c2sp.org/tlog-checkpoint): the origin, tree size and root
 * hash of a log, signed as a note by the log's key, which is named after the origin.
 *
 * <p>Not done here, on purpose: checking that two checkpoints are consistent (that is a
 * consistency proof, in {@code dev.warden.ledger.tree}), and witness cosignatures.
 */
package dev.warden.ledger.checkpoint;
