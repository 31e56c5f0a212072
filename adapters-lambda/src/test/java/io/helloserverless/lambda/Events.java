package io.helloserverless.lambda;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * API Gateway REST (v1) proxy events as JSON, in the documented shape (the template under
 * {@code events/}), turned into event objects by the Lambda runtime's own serialiser.
 */
final class Events {

    private static final PojoSerializer<APIGatewayProxyRequestEvent> RUNTIME =
            LambdaEventSerializers.serializerFor(APIGatewayProxyRequestEvent.class, Events.class.getClassLoader());
    private static final String TEMPLATE = read("/events/rest-api-proxy-request.json");

    private final JsonObject json = JsonParser.parseString(TEMPLATE).getAsJsonObject();

    private Events(String method, String resource, String path) {
        json.addProperty("httpMethod", method);
        json.addProperty("resource", resource);
        json.addProperty("path", path);
        JsonObject context = json.getAsJsonObject("requestContext");
        context.addProperty("httpMethod", method);
        context.addProperty("resourcePath", resource);
        context.addProperty("path", "/live" + path);
        context.addProperty("requestId", UUID.randomUUID().toString());
    }

    static Events request(String method, String resource, String path) {
        return new Events(method, resource, path);
    }

    /** A request on {@code /v1/files/{name}}; {@code encodedName} is as it appears in the URL. */
    static Events onFile(String method, String encodedName) {
        return new Events(method, "/v1/files/{name}", "/v1/files/" + encodedName).pathParameter("name", encodedName);
    }

    Events pathParameter(String name, String value) {
        JsonObject parameters = new JsonObject();
        parameters.addProperty(name, value);
        json.add("pathParameters", parameters);
        return this;
    }

    Events query(String name, String value) {
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

    Events header(String name, String value) {
        json.getAsJsonObject("headers").addProperty(name, value);
        JsonArray values = new JsonArray();
        values.add(value);
        json.getAsJsonObject("multiValueHeaders").add(name, values);
        return this;
    }

    /** A body as API Gateway passes it with binary media type {@code *}{@code /*}: base64. */
    Events body(byte[] bytes) {
        json.addProperty("body", Base64.getEncoder().encodeToString(bytes));
        json.addProperty("isBase64Encoded", true);
        return this;
    }

    Events text(String text) {
        return header("Content-Type", "text/plain; charset=utf-8").body(text.getBytes(StandardCharsets.UTF_8));
    }

    String requestId() {
        return json.getAsJsonObject("requestContext").get("requestId").getAsString();
    }

    String toJson() {
        return json.toString();
    }

    /** The event object exactly as the managed Java runtime would hand it to the handler. */
    APIGatewayProxyRequestEvent event() {
        return RUNTIME.fromJson(toJson());
    }

    private static String read(String resource) {
        try (InputStream in = Events.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
