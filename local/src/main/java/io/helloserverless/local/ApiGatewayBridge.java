package io.helloserverless.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import io.helloserverless.lambda.http.Problem;
import io.helloserverless.lambda.http.Responses;
import io.helloserverless.lambda.http.Routes;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Plays API Gateway on the laptop: each HTTPS request becomes the REST (v1) proxy event the
 * Lambda runtime would deliver (path still percent-encoded, query decoded, body base64 as with
 * binary media type {@code *}{@code /*}), goes to the same handler class as in AWS, and the
 * handler's response event goes back on the wire. Unknown routes and wrong methods are answered
 * here, as API Gateway answers them before any function runs.
 */
final class ApiGatewayBridge implements HttpHandler {

    private final FunctionPool functions;

    ApiGatewayBridge(FunctionPool functions) {
        this.functions = functions;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String requestId = UUID.randomUUID().toString();
            String method = exchange.getRequestMethod();
            String rawPath = exchange.getRequestURI().getRawPath();
            // Read in full whatever the route: an unread body would leave the kept-alive connection unusable.
            byte[] body = exchange.getRequestBody().readAllBytes();
            APIGatewayProxyResponseEvent response = switch (Routes.match(method, rawPath)) {
                case Routes.Match.Found found -> invoke(found, exchange, body, requestId);
                case Routes.Match.MethodNotAllowed notAllowed -> problem(Problem.METHOD_NOT_ALLOWED,
                        method + " is not allowed here", requestId, Map.of("Allow", String.join(", ", notAllowed.allowed())));
                case Routes.Match.NoRoute none -> problem(Problem.NOT_FOUND,
                        "no such resource", requestId, Map.of());
            };
            send(exchange, method, response);
        }
    }

    private APIGatewayProxyResponseEvent invoke(Routes.Match.Found found, HttpExchange exchange, byte[] body,
                                                String requestId) {
        APIGatewayProxyRequestEvent event = toEvent(found, exchange, body, requestId);
        FunctionPool.Handler handler = functions.borrow(found.route().function());
        try {
            return handler.handleRequest(event, new LocalContext(found.route().function(), requestId));
        } finally {
            functions.giveBack(found.route().function(), handler);
        }
    }

    /** What API Gateway answers itself, before any function runs. */
    private static APIGatewayProxyResponseEvent problem(Problem problem, String detail, String requestId,
                                                        Map<String, String> headers) {
        return Responses.problem(problem, detail, requestId).headers(headers).toEvent(requestId);
    }

    private static APIGatewayProxyRequestEvent toEvent(Routes.Match.Found found, HttpExchange exchange, byte[] body,
                                               String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, List<String>> multiHeaders = new LinkedHashMap<>();
        exchange.getRequestHeaders().forEach((name, values) -> {
            multiHeaders.put(name, List.copyOf(values));
            headers.put(name, values.getLast());
        });
        Map<String, List<String>> multiQuery = parseQuery(exchange.getRequestURI().getRawQuery());
        Map<String, String> query = new LinkedHashMap<>();
        multiQuery.forEach((name, values) -> query.put(name, values.getLast()));
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withRequestId(requestId)
                .withStage("local")
                .withHttpMethod(exchange.getRequestMethod())
                .withResourcePath(found.route().template())
                .withPath(exchange.getRequestURI().getRawPath())
                .withIdentity(new APIGatewayProxyRequestEvent.RequestIdentity()
                        .withSourceIp(exchange.getRemoteAddress().getAddress().getHostAddress()));
        return new APIGatewayProxyRequestEvent()
                .withResource(found.route().template())
                .withPath(exchange.getRequestURI().getRawPath())
                .withHttpMethod(exchange.getRequestMethod())
                .withHeaders(headers)
                .withMultiValueHeaders(multiHeaders)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withMultiValueQueryStringParameters(multiQuery.isEmpty() ? null : multiQuery)
                .withPathParameters(found.name().map(name -> Map.of("name", name)).orElse(null))
                .withRequestContext(context)
                .withBody(body.length == 0 ? null : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0);
    }

    private static Map<String, List<String>> parseQuery(String rawQuery) {
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

    private static void send(HttpExchange exchange, String method, APIGatewayProxyResponseEvent response) throws IOException {
        if (response.getHeaders() != null) {
            response.getHeaders().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
        }
        byte[] body = response.getBody() == null ? new byte[0]
                : Boolean.TRUE.equals(response.getIsBase64Encoded())
                        ? Base64.getDecoder().decode(response.getBody())
                        : response.getBody().getBytes(StandardCharsets.UTF_8);
        int status = response.getStatusCode();
        if (method.equals("HEAD") || status == 204 || status == 304) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }
}
