package io.helloserverless.rehearsal;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsParameters;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * API Gateway (REST, Lambda proxy integration) as {@code terraform/openapi.yaml} declares it:
 * its paths and methods, the function behind each ({@code api.tf} binds the template's
 * variables to the functions), required request parameters (the document's validator is
 * {@code all}), binary media types, mock integrations and gateway responses. What it does not
 * do: SigV4 authorisation, throttling, usage plans.
 */
final class Gateway implements AutoCloseable {

    /** API Gateway's limit on an integration, whatever the function's timeout. */
    static final long INTEGRATION_TIMEOUT_MS = 29_000;
    private static final Pattern TEMPLATE_BINDING = Pattern.compile(
            "(?m)^\\s*([a-z_]+)\\s*=\\s*aws_lambda_alias\\.live\\[\"([a-z-]+)\"]\\.invoke_arn\\s*$");
    private static final Pattern TEMPLATE_VARIABLE = Pattern.compile("^\\$\\{([a-z_]+)}$");
    /** API Gateway sends absent members as null. */
    private static final Gson GSON = new com.google.gson.GsonBuilder().serializeNulls().create();

    /** One method of one path: a function, or a mock with its fixed answer. */
    private record Method(String function, List<String> requiredQuery, Optional<JsonNode> mock) {
    }

    private record Route(String template, Pattern pattern, Map<String, Method> methods) {
    }

    private final List<Route> routes = new ArrayList<>();
    private final JsonNode gatewayResponses;
    private final boolean binaryEverything;
    private final String stage;
    private final Map<String, LambdaService> functions;
    private final HttpsServer server;
    private final ExecutorService invocations = Executors.newVirtualThreadPerTaskExecutor();

    /** The gateway's HTTPS listener, bound before the functions exist (their environment names its port). */
    static HttpsServer bind(SSLContext tls, int port) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 256);
        server.setHttpsConfigurator(new HttpsConfigurator(tls) {
            @Override
            public void configure(HttpsParameters parameters) {
                SSLParameters ssl = tls.getDefaultSSLParameters();
                // The custom domain's security policy TLS_1_2.
                ssl.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
                parameters.setSSLParameters(ssl);
            }
        });
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        return server;
    }

    /** Serves {@code openapi.yaml}'s API on {@code server}, bound by {@link #bind}. */
    Gateway(Path terraform, String stage, Map<String, LambdaService> functions, HttpsServer server) throws IOException {
        this.stage = stage;
        this.functions = functions;
        JsonNode api = new YAMLMapper().readTree(Files.readString(terraform.resolve("openapi.yaml")));
        Map<String, String> bindings = new LinkedHashMap<>();
        Matcher binding = TEMPLATE_BINDING.matcher(Files.readString(terraform.resolve("api.tf")));
        while (binding.find()) {
            bindings.put(binding.group(1), binding.group(2));
        }
        binaryEverything = api.path("x-amazon-apigateway-binary-media-types").toString().contains("\"*/*\"");
        api.get("paths").properties().forEach(path -> routes.add(route(path.getKey(), path.getValue(), bindings)));
        gatewayResponses = api.path("x-amazon-apigateway-gateway-responses");
        this.server = server;
        server.createContext("/", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    private Route route(String template, JsonNode methods, Map<String, String> bindings) {
        Map<String, Method> byMethod = new LinkedHashMap<>();
        methods.properties().forEach(entry -> {
            String verb = entry.getKey().equals("x-amazon-apigateway-any-method") ? "ANY" : entry.getKey().toUpperCase(Locale.ROOT);
            JsonNode integration = entry.getValue().path("x-amazon-apigateway-integration");
            List<String> required = new ArrayList<>();
            entry.getValue().path("parameters").forEach(p -> {
                if (p.path("in").asString().equals("query") && p.path("required").asBoolean(false)) {
                    required.add(p.path("name").asString());
                }
            });
            if (integration.path("type").asString().equals("mock")) {
                // With binary media type */* a mock's request template applies only when converted to text;
                // otherwise API Gateway answers 500.
                if (binaryEverything && !integration.path("contentHandling").asString().equals("CONVERT_TO_TEXT")) {
                    throw new IllegalStateException("openapi.yaml: the mock " + verb + " " + template
                            + " needs contentHandling: CONVERT_TO_TEXT under binary media type */*");
                }
                byMethod.put(verb, new Method(null, required, Optional.of(integration.path("responses").path("default"))));
                return;
            }
            Matcher variable = TEMPLATE_VARIABLE.matcher(integration.path("uri").asString());
            if (!integration.path("type").asString().equals("aws_proxy") || !variable.matches()
                    || !bindings.containsKey(variable.group(1))) {
                throw new IllegalStateException("openapi.yaml: " + verb + " " + template + " is not a Lambda proxy integration bound in api.tf");
            }
            byMethod.put(verb, new Method(bindings.get(variable.group(1)), required, Optional.empty()));
        });
        Pattern pattern = Pattern.compile(template.replaceAll("\\{[^}/]+}", "([^/]+)"));
        return new Route(template, pattern, byMethod);
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String requestId = UUID.randomUUID().toString();
            byte[] body = exchange.getRequestBody().readAllBytes();
            String rawPath = exchange.getRequestURI().getRawPath();
            String verb = exchange.getRequestMethod();
            for (Route route : routes) {
                Matcher matched = route.pattern().matcher(rawPath);
                if (!matched.matches()) {
                    continue;
                }
                Method method = route.methods().getOrDefault(verb, route.methods().get("ANY"));
                if (method == null) {
                    break;
                }
                Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
                // The validator refuses a required parameter that is absent or blank.
                List<String> missing = method.requiredQuery().stream()
                        .filter(q -> !query.containsKey(q) || query.get(q).getLast().isBlank()).toList();
                if (!missing.isEmpty()) {
                    gatewayResponse(exchange, "BAD_REQUEST_PARAMETERS", 400, requestId,
                            "Missing required request parameters: [" + String.join(", ", missing) + "]");
                } else if (method.mock().isPresent()) {
                    mock(exchange, method.mock().get(), requestId);
                } else {
                    proxy(exchange, route, matched, method, query, body, requestId);
                }
                return;
            }
            // API Gateway cannot tell an unknown route from an unsigned request.
            gatewayResponse(exchange, "MISSING_AUTHENTICATION_TOKEN", 403, requestId, "Missing Authentication Token");
        }
    }

    private void proxy(HttpExchange exchange, Route route, Matcher matched, Method method, Map<String, List<String>> query,
                       byte[] body, String requestId) throws IOException {
        LambdaService function = functions.get(method.function());
        byte[] event = event(exchange, route, matched, query, body, requestId).getBytes(StandardCharsets.UTF_8);
        CompletableFuture<LambdaService.Outcome> call = CompletableFuture.supplyAsync(() -> function.invoke(event), invocations);
        LambdaService.Outcome outcome;
        try {
            outcome = call.get(INTEGRATION_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            gatewayResponse(exchange, "INTEGRATION_TIMEOUT", 504, requestId, "Endpoint request timed out");
            return;
        } catch (InterruptedException | ExecutionException e) {
            outcome = new LambdaService.Outcome.FunctionError("Rehearsal", new byte[0]);
        }
        if (!(outcome instanceof LambdaService.Outcome.Success success)) {
            gatewayResponse(exchange, "DEFAULT_5XX", 502, requestId, "Internal server error");
            return;
        }
        JsonObject response;
        try {
            response = JsonParser.parseString(new String(success.payload(), StandardCharsets.UTF_8)).getAsJsonObject();
            response.get("statusCode").getAsInt();
        } catch (RuntimeException e) {
            // "Malformed Lambda proxy response"
            gatewayResponse(exchange, "DEFAULT_5XX", 502, requestId, "Internal server error");
            return;
        }
        send(exchange, response, requestId);
    }

    private String event(HttpExchange exchange, Route route, Matcher matched, Map<String, List<String>> query,
                         byte[] body, String requestId) {
        JsonObject event = new JsonObject();
        String rawPath = exchange.getRequestURI().getRawPath();
        event.addProperty("resource", route.template());
        event.addProperty("path", rawPath);
        event.addProperty("httpMethod", exchange.getRequestMethod());
        JsonObject headers = new JsonObject();
        JsonObject multiHeaders = new JsonObject();
        exchange.getRequestHeaders().forEach((name, values) -> {
            headers.addProperty(name, values.getLast());
            multiHeaders.add(name, GSON.toJsonTree(values));
        });
        event.add("headers", headers);
        event.add("multiValueHeaders", multiHeaders);
        if (query.isEmpty()) {
            event.add("queryStringParameters", null);
            event.add("multiValueQueryStringParameters", null);
        } else {
            JsonObject single = new JsonObject();
            JsonObject multi = new JsonObject();
            query.forEach((name, values) -> {
                single.addProperty(name, values.getLast());
                multi.add(name, GSON.toJsonTree(values));
            });
            event.add("queryStringParameters", single);
            event.add("multiValueQueryStringParameters", multi);
        }
        List<String> names = new ArrayList<>();
        Matcher names0 = Pattern.compile("\\{([^}/]+)}").matcher(route.template());
        while (names0.find()) {
            names.add(names0.group(1));
        }
        if (names.isEmpty()) {
            event.add("pathParameters", null);
        } else {
            JsonObject parameters = new JsonObject();
            for (int i = 0; i < names.size(); i++) {
                parameters.addProperty(names.get(i), matched.group(i + 1));
            }
            event.add("pathParameters", parameters);
        }
        event.add("stageVariables", null);
        JsonObject context = new JsonObject();
        context.addProperty("requestId", requestId);
        context.addProperty("stage", stage);
        context.addProperty("httpMethod", exchange.getRequestMethod());
        context.addProperty("resourcePath", route.template());
        context.addProperty("path", rawPath);
        context.addProperty("protocol", exchange.getProtocol());
        context.addProperty("requestTimeEpoch", System.currentTimeMillis());
        context.addProperty("domainName", exchange.getRequestHeaders().getFirst("Host"));
        JsonObject identity = new JsonObject();
        identity.addProperty("sourceIp", exchange.getRemoteAddress().getAddress().getHostAddress());
        identity.addProperty("userAgent", exchange.getRequestHeaders().getFirst("User-Agent"));
        context.add("identity", identity);
        event.add("requestContext", context);
        boolean encode = body.length > 0 && binaryEverything;
        event.addProperty("body", body.length == 0 ? null
                : encode ? Base64.getEncoder().encodeToString(body) : new String(body, StandardCharsets.UTF_8));
        event.addProperty("isBase64Encoded", encode);
        return GSON.toJson(event);
    }

    private void mock(HttpExchange exchange, JsonNode response, String requestId) throws IOException {
        int status = Integer.parseInt(response.path("statusCode").asString("200"));
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        response.path("responseParameters").properties().forEach(p -> {
            String header = p.getKey().replace("method.response.header.", "");
            exchange.getResponseHeaders().set(header, literal(p.getValue().asString(), requestId));
        });
        JsonNode template = response.path("responseTemplates").path("application/json");
        write(exchange, status, template.isMissingNode() ? new byte[0]
                : template.asString().replace("$context.requestId", requestId).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The gateway response of {@code type} as openapi.yaml customises it, else its DEFAULT_4XX or
     * DEFAULT_5XX customisation, else API Gateway's own status and {@code {"message": ...}} body.
     */
    private void gatewayResponse(HttpExchange exchange, String type, int status, String requestId, String message)
            throws IOException {
        String body = "{\"message\": \"" + message + "\"}";
        JsonNode custom = gatewayResponses.path(type);
        if (custom.isMissingNode()) {
            custom = gatewayResponses.path(status >= 500 ? "DEFAULT_5XX" : "DEFAULT_4XX");
        }
        int answered = custom.has("statusCode") ? custom.path("statusCode").asInt() : status;
        String text = custom.path("responseTemplates").path("application/json").asString(body)
                .replace("$context.requestId", requestId)
                .replace("$context.error.messageString", GSON.toJson(message))
                .replace("$context.error.message", message)
                .replace("$context.error.validationErrorString", message);
        custom.path("responseParameters").properties().forEach(p -> exchange.getResponseHeaders().set(
                p.getKey().replace("gatewayresponse.header.", ""), literal(p.getValue().asString(), requestId)));
        exchange.getResponseHeaders().putIfAbsent("Content-Type", List.of("application/json"));
        exchange.getResponseHeaders().set("x-amzn-ErrorType", type);
        write(exchange, answered, exchange.getRequestMethod().equals("HEAD") ? new byte[0] : text.getBytes(StandardCharsets.UTF_8));
    }

    /** A mapping value: {@code 'text'} is a literal, {@code context.requestId} the request id. */
    private static String literal(String value, String requestId) {
        if (value.startsWith("'") && value.endsWith("'")) {
            return value.substring(1, value.length() - 1);
        }
        if (value.equals("context.requestId")) {
            return requestId;
        }
        throw new IllegalStateException("the rehearsal cannot map the response parameter value " + value);
    }

    private static void send(HttpExchange exchange, JsonObject response, String requestId) throws IOException {
        JsonElement headers = response.get("headers");
        if (headers != null && headers.isJsonObject()) {
            headers.getAsJsonObject().entrySet().forEach(h -> exchange.getResponseHeaders().set(h.getKey(), h.getValue().getAsString()));
        }
        JsonElement multi = response.get("multiValueHeaders");
        if (multi != null && multi.isJsonObject()) {
            multi.getAsJsonObject().entrySet().forEach(h -> {
                List<String> values = new ArrayList<>();
                ((JsonArray) h.getValue()).forEach(v -> values.add(v.getAsString()));
                exchange.getResponseHeaders().put(h.getKey(), values);
            });
        }
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        JsonElement body = response.get("body");
        boolean base64 = response.has("isBase64Encoded") && response.get("isBase64Encoded").getAsBoolean();
        byte[] bytes = body == null || body.isJsonNull() ? new byte[0]
                : base64 ? Base64.getDecoder().decode(body.getAsString()) : body.getAsString().getBytes(StandardCharsets.UTF_8);
        int status = response.get("statusCode").getAsInt();
        write(exchange, status, exchange.getRequestMethod().equals("HEAD") ? new byte[0] : bytes);
    }

    private static void write(HttpExchange exchange, int status, byte[] body) throws IOException {
        boolean noBody = body.length == 0 || status == 204 || status == 304;
        exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    /** Query parameters as API Gateway hands them to a proxy integration: decoded. */
    private static Map<String, List<String>> query(String rawQuery) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals));
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1));
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private static String decode(String part) {
        try {
            return URLDecoder.decode(part, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return part;
        }
    }

    @Override
    public void close() {
        server.stop(0);
        invocations.shutdownNow();
    }
}
