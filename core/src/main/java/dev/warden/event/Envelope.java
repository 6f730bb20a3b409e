package dev.warden.event;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.warden.ledger.tree.Hash;

import java.time.Instant;

/**
 * The public part of an event, and the only part in the ledger: schema version, type, time and
 * {@code bodyHash = SHA-256(salt || canonical body)} (DESIGN.md, "public envelope, private body").
 * It names no customer and carries no personal data, so anyone may count event types while only
 * holders of a body can check its details.
 */
public record Envelope(int version, String type, Instant at, Hash bodyHash) {
    /** The schema version written today. */
    public static final int VERSION = 1;
    /** An envelope is a few hundred bytes; anything much larger is not one of ours. */
    static final int MAX_BYTES = 1024;

    /** The ledger entry: the canonical JSON (RFC 8785) of the envelope. */
    public byte[] encode() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("v", version);
        n.put("type", type);
        n.put("at", at.toString());
        n.put("bodyHash", bodyHash.base64());
        return CanonicalJson.encode(n);
    }

    /**
     * Reads a ledger entry back.
     *
     * @throws IllegalArgumentException if it is not an envelope this version understands
     */
    public static Envelope decode(byte[] entry) {
        JsonNode n = CanonicalJson.parse(entry, MAX_BYTES);
        if (!n.isObject() || n.size() != 4 || !n.path("v").isInt() || !n.path("type").isTextual()
                || !n.path("at").isTextual() || !n.path("bodyHash").isTextual()) {
            throw new IllegalArgumentException("ledger entry is not an event envelope {v, type, at, bodyHash}");
        }
        if (n.get("v").intValue() != VERSION) {
            throw new IllegalArgumentException("envelope version " + n.get("v").intValue() + " is not " + VERSION);
        }
        return new Envelope(VERSION, n.get("type").textValue(), Instant.parse(n.get("at").textValue()),
                Hash.fromBase64(n.get("bodyHash").textValue()));
    }
}
