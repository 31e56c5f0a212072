package io.helloserverless.lambda.secrets;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * A local server that answers Secrets Manager's {@code GetSecretValue} on its real wire protocol
 * (AWS JSON 1.1 over HTTP: {@code POST /} with {@code X-Amz-Target:
 * secretsmanager.GetSecretValue}), so the real SDK client is exercised end to end. It counts
 * calls, and a test can change a value, as a rotation does.
 */
public final class SecretsManagerServer implements AutoCloseable {

    private final HttpServer server;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final AtomicInteger calls = new AtomicInteger();

    private SecretsManagerServer(HttpServer server) {
        this.server = server;
    }

    public static SecretsManagerServer start() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        SecretsManagerServer fake = new SecretsManagerServer(http);
        http.createContext("/", fake::answer);
        http.start();
        return fake;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** A real SDK client of this server, signing with throwaway keys. */
    public SecretsManagerClient client() {
        return SecretsManagerClient.builder()
                .region(Region.EU_WEST_1)
                .endpointOverride(endpoint())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test-key", "test-secret")))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                .build();
    }

    public void put(String arn, String value) {
        secrets.put(arn, value);
    }

    /** The value held under {@code arn}, read here rather than over HTTP. */
    public String value(String arn) {
        return secrets.get(arn);
    }

    public int calls() {
        return calls.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            calls.incrementAndGet();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            boolean signed = exchange.getRequestHeaders().getFirst("Authorization") != null;
            JsonObject request = JsonParser.parseString(
                    new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8)).getAsJsonObject();
            JsonObject response = new JsonObject();
            int status;
            String id = request.has("SecretId") ? request.get("SecretId").getAsString() : "";
            if (!"secretsmanager.GetSecretValue".equals(target) || !signed) {
                status = 400;
                response.addProperty("__type", "InvalidRequestException");
                response.addProperty("message", "only signed GetSecretValue is served here");
            } else if (!secrets.containsKey(id)) {
                status = 400;
                response.addProperty("__type", "ResourceNotFoundException");
                response.addProperty("message", "Secrets Manager can't find the specified secret.");
            } else {
                status = 200;
                response.addProperty("ARN", id);
                response.addProperty("Name", id.substring(id.lastIndexOf(':') + 1));
                response.addProperty("SecretString", secrets.get(id));
                response.addProperty("VersionId", "v" + calls.get());
                response.add("VersionStages", JsonParser.parseString("[\"AWSCURRENT\"]"));
                response.addProperty("CreatedDate", System.currentTimeMillis() / 1000.0);
            }
            byte[] body = response.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().set("x-amzn-RequestId", "local-" + calls.get());
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
