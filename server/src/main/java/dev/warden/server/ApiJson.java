package dev.warden.server;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;
import dev.warden.event.EventCodec;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

/**
 * JSON request bodies, read strictly: at most a route's byte limit, one JSON object of exactly the
 * request type's fields, each of its declared JSON type. Every refusal is a 400 (413 for size, 415
 * for media type) naming the field or the position at fault.
 */
final class ApiJson {
    /**
     * {@link EventCodec#JSON} (strict on unknown fields and null primitives, ISO 8601 times), and
     * stricter still for input from the network: no trailing tokens, no duplicate keys, and no
     * coercion between JSON types ({@code 5} is not the string {@code "5"}, nor {@code "true"} a boolean).
     */
    static final ObjectMapper MAPPER = ((JsonMapper) EventCodec.JSON).rebuild()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .withCoercionConfig(LogicalType.Textual, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Boolean, c -> c
                    .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .withCoercionConfig(LogicalType.Integer, c -> c
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.String, CoercionAction.Fail))
            .build();

    private ApiJson() {
    }

    /**
     * Reads the request body as a {@code type}.
     *
     * @throws Problem 415 unless the body is declared {@code application/json}; 413 over {@code maxBytes};
     *                 400 if it is not one JSON object of {@code type}'s fields and their JSON types
     */
    static <T> T read(Context ctx, Class<T> type, long maxBytes) {
        String media = ctx.contentType() == null ? "" : ctx.contentType().split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!media.equals("application/json")) {
            throw new Problem(HttpStatus.UNSUPPORTED_MEDIA_TYPE, null,
                    "the request body must be application/json" + (media.isEmpty() ? "" : ", not \"" + media + "\""));
        }
        byte[] bytes = bounded(ctx, maxBytes);
        if (bytes.length == 0) {
            throw Problem.badRequest(null, "the request has no body; a JSON object is expected");
        }
        T value;
        try {
            value = MAPPER.readValue(bytes, type);
        } catch (UnrecognizedPropertyException e) {
            throw Problem.badRequest(path(e), "unknown field \"" + e.getPropertyName() + "\"" + at(e.getLocation())
                    + "; hint: the fields are " + e.getKnownPropertyIds());
        } catch (MismatchedInputException e) {
            String field = path(e);
            throw Problem.badRequest(field, (field == null ? "the body must be a JSON object" : "field \"" + field
                    + "\" has the wrong JSON type") + at(e.getLocation()));
        } catch (JsonMappingException e) {
            String field = path(e);
            throw Problem.badRequest(field, (field == null ? "couldn't read the body" : "couldn't read field \"" + field + "\"")
                    + at(e.getLocation()) + ": " + e.getOriginalMessage());
        } catch (JsonProcessingException e) {
            throw Problem.badRequest(null, "malformed JSON" + at(e.getLocation()) + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw Problem.badRequest(null, "couldn't read the body: " + e.getMessage());
        }
        if (value == null) {
            throw Problem.badRequest(null, "the body must be a JSON object, not null");
        }
        return value;
    }

    /** At most {@code maxBytes} of the body, refusing more without reading past the limit. */
    private static byte[] bounded(Context ctx, long maxBytes) {
        long declared = ctx.req().getContentLengthLong();
        if (declared > maxBytes) {
            throw tooLarge(ctx, declared + " bytes", maxBytes);
        }
        try (InputStream in = ctx.req().getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
            if (bytes.length > maxBytes) {
                throw tooLarge(ctx, "more than " + maxBytes + " bytes", maxBytes);
            }
            return bytes;
        } catch (IOException e) {
            throw Problem.badRequest(null, "couldn't read the request body: " + e.getMessage());
        }
    }

    private static Problem tooLarge(Context ctx, String size, long maxBytes) {
        return new Problem(HttpStatus.CONTENT_TOO_LARGE, null, "the request body of " + size + " is over the limit of "
                + maxBytes + " bytes for " + ctx.method() + " " + ctx.endpoint().path);
    }

    /** The offending field as a path such as {@code roles[2]} or {@code scope.services}, or null at the top. */
    private static String path(JsonMappingException e) {
        StringBuilder out = new StringBuilder();
        for (JsonMappingException.Reference r : e.getPath()) {
            if (r.getFieldName() != null) {
                out.append(out.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                out.append('[').append(r.getIndex()).append(']');
            }
        }
        return out.isEmpty() ? null : out.toString();
    }

    private static String at(JsonLocation l) {
        return l == null || l.getLineNr() < 0 ? "" : " at line " + l.getLineNr() + ", column " + l.getColumnNr();
    }
}
