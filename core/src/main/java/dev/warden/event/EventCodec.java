package dev.warden.event;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.warden.ledger.tree.Hash;
import dev.warden.principal.Principal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;

/**
 * Event bodies: the canonical JSON (RFC 8785) of {@code {v, type, at, by, data}}, salted and
 * hashed into an {@link Envelope}. Thread-safe.
 */
public final class EventCodec {
    /** Bodies above this size are refused; large records are stored by hash, not in bodies. */
    public static final int MAX_BODY = 256 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The one mapper for events: strict on input, ISO 8601 for times. */
    public static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .build();

    private EventCodec() {
    }

    /** An event made ready for the ledger: its envelope, and its private body with the salt. */
    public record Sealed(Envelope envelope, byte[] salt, byte[] body) {
    }

    /** A body read back: when, by whom, what. */
    public record Body(Instant at, Principal by, Event event) {
    }

    /** Encodes {@code event} as a body, salts and hashes it, and builds its envelope. */
    public static Sealed seal(Event event, Instant at, Principal by) {
        ObjectNode body = JSON.createObjectNode();
        body.put("v", Envelope.VERSION);
        body.put("type", event.type());
        body.put("at", at.toString());
        body.set("by", JSON.valueToTree(by));
        body.set("data", JSON.valueToTree(event));
        byte[] bytes = CanonicalJson.encode(body);
        if (bytes.length > MAX_BODY) {
            throw new IllegalArgumentException("event body of " + bytes.length + " bytes is over " + MAX_BODY);
        }
        byte[] salt = new byte[32];
        RANDOM.nextBytes(salt);
        return new Sealed(new Envelope(Envelope.VERSION, event.type(), at, bodyHash(salt, bytes)), salt, bytes);
    }

    /** SHA-256(salt || body): what the envelope commits to. */
    public static Hash bodyHash(byte[] salt, byte[] body) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(salt);
            md.update(body);
            return new Hash(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JDK has no SHA-256", e);
        }
    }

    /**
     * Checks a private body against its public envelope and decodes it.
     *
     * @throws IllegalArgumentException saying what does not match
     */
    public static Body open(Envelope envelope, byte[] salt, byte[] body) {
        Hash actual = bodyHash(salt, body);
        if (!actual.equals(envelope.bodyHash())) {
            throw new IllegalArgumentException("event body hashes to " + actual + ", its envelope says "
                    + envelope.bodyHash());
        }
        JsonNode n = CanonicalJson.parse(body, MAX_BODY);
        String type = n.path("type").asText();
        if (!type.equals(envelope.type()) || !n.path("at").asText().equals(envelope.at().toString())) {
            throw new IllegalArgumentException("event body says " + type + " at " + n.path("at").asText()
                    + ", its envelope " + envelope.type() + " at " + envelope.at());
        }
        Class<? extends Event> cls = Event.TYPES.get(type);
        if (cls == null) {
            throw new IllegalArgumentException("unknown event type \"" + type + "\"");
        }
        try {
            return new Body(envelope.at(), JSON.treeToValue(n.get("by"), Principal.class),
                    JSON.treeToValue(n.get("data"), cls));
        } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
            throw new IllegalArgumentException("couldn't decode " + type + " body: " + e.getMessage(), e);
        }
    }
}
