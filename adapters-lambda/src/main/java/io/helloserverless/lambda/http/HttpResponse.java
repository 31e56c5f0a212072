package io.helloserverless.lambda.http;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response on its way out: status, headers and a body that is text or exact bytes. */
public final class HttpResponse {

    private final int status;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private String body;
    private boolean base64;

    private HttpResponse(int status) {
        this.status = status;
    }

    public static HttpResponse status(int status) {
        return new HttpResponse(status);
    }

    public HttpResponse header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    public HttpResponse headers(Map<String, String> more) {
        headers.putAll(more);
        return this;
    }

    public HttpResponse json(String json) {
        headers.putIfAbsent("Content-Type", "application/json");
        body = json;
        return this;
    }

    /**
     * File content leaves base64-encoded so that API Gateway (binary media types {@code *}{@code /*})
     * hands the consumer the exact bytes stored.
     */
    public HttpResponse bytes(String contentType, byte[] content) {
        header("Content-Type", contentType);
        body = Base64.getEncoder().encodeToString(content);
        base64 = true;
        return this;
    }



    public APIGatewayProxyResponseEvent toEvent(String requestId) {
        headers.put("X-Request-Id", requestId);
        headers.putIfAbsent("Cache-Control", "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
        return new APIGatewayProxyResponseEvent()
                .withStatusCode(status)
                .withHeaders(Map.copyOf(headers))
                .withBody(body)
                .withIsBase64Encoded(base64);
    }
}
