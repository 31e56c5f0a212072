package io.helloserverless.benchmarks;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * API Gateway REST proxy events as JSON, from the documented-shape template that adapters-lambda's
 * tests use (shipped in its test-jar).
 */
final class ApiEvents {

    private static final String TEMPLATE = read("/events/rest-api-proxy-request.json");

    private final JsonObject json = JsonParser.parseString(TEMPLATE).getAsJsonObject();

    private ApiEvents(String method, String resource, String path) {
        json.addProperty("httpMethod", method);
        json.addProperty("resource", resource);
        json.addProperty("path", path);
        JsonObject context = json.getAsJsonObject("requestContext");
        context.addProperty("httpMethod", method);
        context.addProperty("resourcePath", resource);
        context.addProperty("path", "/live" + path);
        context.addProperty("requestId", UUID.randomUUID().toString());
    }

    static ApiEvents onFiles(String method) {
        return new ApiEvents(method, "/v1/files", "/v1/files");
    }

    static ApiEvents onFile(String method, String name) {
        String encoded = URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
        ApiEvents events = new ApiEvents(method, "/v1/files/{name}", "/v1/files/" + encoded);
        JsonObject parameters = new JsonObject();
        parameters.addProperty("name", encoded);
        events.json.add("pathParameters", parameters);
        return events;
    }

    static ApiEvents health() {
        return new ApiEvents("GET", "/v1/health", "/v1/health");
    }

    ApiEvents query(String name, String value) {
        if (json.get("queryStringParameters").isJsonNull()) {
            json.add("queryStringParameters", new JsonObject());
            json.add("multiValueQueryStringParameters", new JsonObject());
        }
        json.getAsJsonObject("queryStringParameters").addProperty(name, value);
        JsonArray values = new JsonArray();
        values.add(value);
        json.getAsJsonObject("multiValueQueryStringParameters").add(name, values);
        return this;
    }

    ApiEvents text(String text) {
        json.getAsJsonObject("headers").addProperty("Content-Type", "text/plain; charset=utf-8");
        JsonArray values = new JsonArray();
        values.add("text/plain; charset=utf-8");
        json.getAsJsonObject("multiValueHeaders").add("Content-Type", values);
        json.addProperty("body", Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8)));
        json.addProperty("isBase64Encoded", true);
        return this;
    }

    String toJson() {
        return json.toString();
    }

    private static String read(String resource) {
        try (InputStream in = ApiEvents.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the class path (adapters-lambda's test-jar)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
