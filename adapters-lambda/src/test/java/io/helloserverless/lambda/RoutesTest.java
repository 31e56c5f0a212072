package io.helloserverless.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

class RoutesTest {

    private static final Set<String> HTTP_METHODS = Set.of("get", "head", "post", "put", "delete", "patch", "options");

    /** API Gateway is built from openapi.yaml, the laptop routes with {@link Routes}: they must agree. */
    @Test
    void agreeWithTheOpenApiDocumentApiGatewayIsBuiltFrom() throws Exception {
        Path document = Path.of("..", "terraform", "openapi.yaml");
        assertTrue(Files.exists(document), document.toAbsolutePath() + " is missing");
        JsonNode paths = new YAMLMapper().readTree(Files.readString(document)).get("paths");

        Map<String, String> documented = new TreeMap<>();
        for (var path : paths.properties()) {
            for (var operation : path.getValue().properties()) {
                if (HTTP_METHODS.contains(operation.getKey())) {
                    String uri = operation.getValue().get("x-amazon-apigateway-integration").get("uri").asString();
                    // ${create_file} names the function create-file.
                    documented.put(operation.getKey().toUpperCase(Locale.ROOT) + " " + path.getKey(),
                            uri.replace("${", "").replace("}", "").replace('_', '-'));
                }
            }
        }
        Map<String, String> coded = Routes.ALL.stream().collect(Collectors.toMap(
                r -> r.method() + " " + r.template(), Routes.Route::function, (a, b) -> a, TreeMap::new));

        assertEquals(coded, documented);
    }

    @Test
    void matchesAFileNameAsOneNonEmptySegment() {
        Routes.Match.Found found = assertInstanceOf(Routes.Match.Found.class, Routes.match("GET", "/v1/files/a%20b.txt"));

        assertEquals("read-file", found.route().function());
        assertEquals(Optional.of("a%20b.txt"), found.name());
        assertInstanceOf(Routes.Match.NoRoute.class, Routes.match("GET", "/v1/files/a/b"));
        assertInstanceOf(Routes.Match.NoRoute.class, Routes.match("GET", "/v1/files/"));
        assertInstanceOf(Routes.Match.NoRoute.class, Routes.match("GET", "/v1/file"));
    }

    @Test
    void namesTheAllowedMethodsOfAKnownPath() {
        Routes.Match.MethodNotAllowed notAllowed = assertInstanceOf(Routes.Match.MethodNotAllowed.class,
                Routes.match("TRACE", "/v1/files/x"));

        assertEquals(Set.of("GET", "HEAD", "PUT", "DELETE"), notAllowed.allowed());
    }
}
