package io.helloserverless.terraform;

import static io.helloserverless.terraform.TerraformConfig.list;
import static io.helloserverless.terraform.TerraformConfig.map;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The rule that openapi.yaml, the Terraform route table and the design's routes (docs/design.md, section 3) agree. */
final class OpenApi {

    private static final YAMLMapper YAML = YAMLMapper.builder().build();
    private static final List<String> METHODS = List.of("get", "head", "post", "put", "delete", "patch", "options");

    private OpenApi() {
    }

    static List<String> agreesWithTheRoutes(String openApiYaml, TerraformConfig tf) {
        List<String> findings = new ArrayList<>();
        @SuppressWarnings("unchecked")
        Map<String, Object> document = YAML.readValue(openApiYaml, LinkedHashMap.class);

        Map<String, Object> validators = map(document.get("x-amazon-apigateway-request-validators"));
        Map<String, Object> validator = map(validators.get(document.get("x-amazon-apigateway-request-validator")));
        require(findings, Boolean.TRUE.equals(validator.get("validateRequestBody")) && Boolean.TRUE.equals(validator.get("validateRequestParameters")),
                "request validation must be on for bodies and parameters");
        require(findings, Boolean.TRUE.equals(map(document.get("x-amazon-apigateway-endpoint-configuration")).get("disableExecuteApiEndpoint")),
                "the document must disable the execute-api endpoint");
        Map<String, Object> sigv4 = map(map(map(document.get("components")).get("securitySchemes")).get("sigv4"));
        require(findings, "awsSigv4".equals(sigv4.get("x-amazon-apigateway-authtype")), "the sigv4 security scheme must be AWS_IAM (awsSigv4)");

        Map<String, String> documented = new TreeMap<>();
        map(document.get("paths")).forEach((path, item) -> map(item).forEach((method, value) -> {
            if (!METHODS.contains(method)) {
                return;
            }
            String route = method.toUpperCase(Locale.ROOT) + " " + path;
            Map<String, Object> operation = map(value);
            Map<String, Object> integration = map(operation.get("x-amazon-apigateway-integration"));
            require(findings, "aws_proxy".equals(integration.get("type")) && "POST".equals(integration.get("httpMethod")),
                    route + " must be a Lambda proxy integration");
            require(findings, list(operation.get("security")).stream().anyMatch(s -> map(s).containsKey("sigv4")),
                    route + " must require a SigV4 signature");
            String uri = String.valueOf(integration.get("uri"));
            documented.put(route, uri.startsWith("${") && uri.endsWith("}") ? uri.substring(2, uri.length() - 1).replace('_', '-') : uri);
        }));
        require(findings, documented.equals(new TreeMap<>(Expected.ROUTES)),
                "openapi.yaml must route exactly " + new TreeMap<>(Expected.ROUTES) + ", routes " + documented);

        Map<String, String> terraform = new TreeMap<>();
        map(tf.locals().get("routes")).values().forEach(value -> {
            Map<String, Object> route = map(value);
            terraform.put(route.get("method") + " " + route.get("path"), String.valueOf(route.get("function")));
        });
        require(findings, terraform.equals(documented), "local.routes must match openapi.yaml: " + terraform + " versus " + documented);

        String api = tf.blockSource("resource", "aws_api_gateway_rest_api", "api");
        for (String function : new java.util.TreeSet<>(Expected.ROUTES.values())) {
            String variable = function.replace('-', '_');
            require(findings, api.matches("(?s).*\\b" + variable + "\\s*= aws_lambda_alias\\.live\\[\"" + function + "\"]\\.invoke_arn.*"),
                    "the template variable " + variable + " must be the invoke ARN of the live alias of " + function);
        }
        return findings;
    }

    private static void require(List<String> findings, boolean holds, String finding) {
        if (!holds) {
            findings.add(finding);
        }
    }
}
