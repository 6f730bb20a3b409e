package dev.warden.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.warden.principal.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** The OpenAPI 3.1 document describes exactly the route table: paths, methods, roles, bodies and problems. */
class OpenApiTest {
    @TempDir
    static Path dir;
    static ApiServer api;
    static JsonNode doc;

    @BeforeAll
    static void start() {
        api = new ApiServer(dir);
        ApiServer.Reply r = api.get(WardenServer.OPENAPI_PATH, null);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.mediaType()).isEqualTo("application/json");
        doc = r.json();
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    static Set<String> documentedRoutes() {
        Set<String> keys = new TreeSet<>();
        doc.path("paths").properties().forEach(p -> p.getValue().fieldNames().forEachRemaining(
                m -> keys.add(m.toUpperCase(Locale.ROOT) + " " + p.getKey())));
        return keys;
    }

    static JsonNode operation(Route route) {
        return doc.path("paths").path(route.path()).path(route.method().toString().toLowerCase(Locale.ROOT));
    }

    static JsonNode resolve(JsonNode node) {
        while (node.has("$ref")) {
            String[] parts = node.path("$ref").asText().substring(2).split("/");
            JsonNode n = doc;
            for (String part : parts) {
                n = n.path(part);
            }
            node = n;
        }
        return node;
    }

    @Test
    void theDocument_isOpenApi31_withABearerSecurityScheme() {
        assertThat(doc.path("openapi").asText()).startsWith("3.1.");
        assertThat(doc.path("components").path("securitySchemes").path("bearer").path("type").asText()).isEqualTo("http");
        assertThat(doc.path("components").path("securitySchemes").path("bearer").path("scheme").asText()).isEqualTo("bearer");
        assertThat(doc.path("security").get(0).has("bearer")).isTrue();
    }

    @Test
    void everyRouteOfTheTable_isInTheDocument_andEveryDocumentedRouteIsInTheTable() {
        Set<String> table = Api.ROUTES.stream().map(Route::key).collect(Collectors.toCollection(TreeSet::new));
        assertThat(documentedRoutes()).isEqualTo(table);
    }

    @Test
    void everyOperation_documentsTheRolesOfTheTable() {
        for (Route route : Api.ROUTES) {
            Set<String> documented = new HashSet<>();
            operation(route).path("x-roles").forEach(r -> documented.add(r.asText()));
            assertThat(documented).as(route.key()).isEqualTo(route.roles().stream().map(Role::wire).collect(Collectors.toSet()));
        }
    }

    @Test
    void everyOperation_hasAUniqueId_itsPathParameters_andTheProblemsEveryRouteCanAnswer() {
        Set<String> ids = new HashSet<>();
        Pattern param = Pattern.compile("\\{([^}]+)}");
        for (Route route : Api.ROUTES) {
            JsonNode op = operation(route);
            assertThat(ids.add(op.path("operationId").asText())).as(route.key()).isTrue();
            List<String> names = new ArrayList<>();
            Matcher m = param.matcher(route.path());
            while (m.find()) {
                names.add(m.group(1));
            }
            List<String> documented = new ArrayList<>();
            op.path("parameters").forEach(p -> {
                if (p.path("in").asText().equals("path")) {
                    documented.add(p.path("name").asText());
                }
            });
            assertThat(documented).as(route.key()).isEqualTo(names);
            List<String> codes = new ArrayList<>();
            op.path("responses").fieldNames().forEachRemaining(codes::add);
            assertThat(codes).as(route.key()).contains("401", "403");
            if (route.body() != null) {
                assertThat(codes).as(route.key()).contains("400", "413", "415", "422");
            }
            assertThat(codes.stream().filter(c -> c.startsWith("2"))).as(route.key()).hasSize(1);
            for (String code : codes) {
                if (!code.startsWith("2")) {
                    JsonNode response = resolve(op.path("responses").path(code));
                    assertThat(resolve(response.path("content").path("application/problem+json").path("schema"))
                            .path("required").toString()).as(route.key() + " " + code).contains("\"detail\"");
                }
            }
        }
    }

    @Test
    void everyRequestSchema_hasExactlyTheFieldsOfItsRequestRecord_andNoOthers() {
        for (Route route : Api.ROUTES) {
            JsonNode body = operation(route).path("requestBody");
            if (route.body() == null) {
                assertThat(body.isMissingNode()).as(route.key()).isTrue();
                continue;
            }
            JsonNode schema = resolve(body.path("content").path("application/json").path("schema"));
            Set<String> documented = new TreeSet<>();
            schema.path("properties").fieldNames().forEachRemaining(documented::add);
            Set<String> fields = Arrays.stream(route.body().getRecordComponents()).map(RecordComponent::getName)
                    .collect(Collectors.toCollection(TreeSet::new));
            assertThat(documented).as(route.key()).isEqualTo(fields);
            assertThat(schema.path("additionalProperties").asBoolean(true)).as(route.key()).isFalse();
            schema.path("required").forEach(r -> assertThat(fields).as(route.key()).contains(r.asText()));
        }
    }

    @Test
    void everyReference_resolves() {
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).isNotEmpty();
        for (String ref : refs) {
            JsonNode n = resolve(ApiJson.MAPPER.createObjectNode().put("$ref", ref));
            assertThat(n.isMissingNode()).as(ref).isFalse();
        }
    }

    private static void collectRefs(JsonNode node, List<String> into) {
        if (node.has("$ref")) {
            into.add(node.path("$ref").asText());
        }
        node.forEach(child -> collectRefs(child, into));
    }
}
