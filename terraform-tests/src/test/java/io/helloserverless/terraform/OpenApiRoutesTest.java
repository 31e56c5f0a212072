package io.helloserverless.terraform;

import static io.helloserverless.terraform.Findings.assertNone;
import static io.helloserverless.terraform.Findings.assertReported;

import java.io.IOException;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * openapi.yaml, the route table in locals.tf (permissions, consumer roles) and the design's
 * REST API (docs/design.md, section 3) agree. The handlers' own route table lives in adapters-lambda, which is checked there.
 */
class OpenApiRoutesTest {

    private static final TerraformConfig MAIN = Repository.main();

    private static String openApi() throws IOException {
        return Files.readString(Repository.terraformDir().resolve("openapi.yaml"));
    }

    @Test
    void documentsEveryRouteOfTheDesignWithItsFunction() throws IOException {
        assertNone(OpenApi.agreesWithTheRoutes(openApi(), MAIN));
    }

    @Test
    void reportsARouteMissingFromTheDocument() throws IOException {
        String broken = openApi().replace("    head:\n      operationId: readFileHead", "    options:\n      operationId: readFileHead");
        assertReported(OpenApi.agreesWithTheRoutes(broken, MAIN), "openapi.yaml must route exactly");
    }

    @Test
    void reportsATerraformRouteToAnotherFunction() throws IOException {
        TerraformConfig broken = MAIN.replace("locals.tf", "path = \"/v1/files/{name}\", function = \"read-file\" }\n    head",
                "path = \"/v1/files/{name}\", function = \"list-files\" }\n    head");
        assertReported(OpenApi.agreesWithTheRoutes(openApi(), broken), "local.routes must match openapi.yaml");
    }

    @Test
    void reportsAnUnsignedRoute() throws IOException {
        String broken = openApi().replace("      operationId: health\n      security:\n        - sigv4: []\n",
                "      operationId: health\n");
        assertReported(OpenApi.agreesWithTheRoutes(broken, MAIN), "GET /v1/health must require a SigV4 signature");
    }

    @Test
    void reportsRequestValidationSwitchedOff() throws IOException {
        String broken = openApi().replace("validateRequestParameters: true", "validateRequestParameters: false");
        assertReported(OpenApi.agreesWithTheRoutes(broken, MAIN), "request validation must be on");
    }
}
