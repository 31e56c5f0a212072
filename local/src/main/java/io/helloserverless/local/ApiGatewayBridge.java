package io.helloserverless.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.helidon.http.Header;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import io.helloserverless.lambda.http.HttpProblem;
import io.helloserverless.lambda.http.HttpRequest;
import io.helloserverless.lambda.http.HttpResponse;
import io.helloserverless.lambda.http.Json;
import io.helloserverless.lambda.http.Problem;
import io.helloserverless.lambda.http.Responses;
import io.helloserverless.lambda.Routes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
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
 * here, as API Gateway answers them before any function runs, and so are a body larger than the
 * largest file ({@code 413}, read no further than that), a query that is not percent-encoded UTF-8
 * ({@code 400}, decoded as strictly as the path), and a function whose every execution environment
 * stays busy ({@code 503}).
 *
 * <p>A body refused for its size, when it announces one of at most {@link #DRAIN_LIMIT} bytes and
 * does not wait for {@code 100 Continue}, is read and thrown away before the answer (under the
 * request's deadline): a connection closed with unread bytes is reset, and a reset drops the answer
 * before the client reads it. A larger one the front refuses before this, unread.
 */
final class ApiGatewayBridge implements Handler {

    /** Twice the largest file the service ever takes (its 4 MiB ceiling): read to refuse it cleanly. */
    static final long DRAIN_LIMIT = 8L * 1024 * 1024;

    /** Each query parameter the API reads, and the problem its value is refused with. */
    private static final Map<String, Problem> PARAMETERS = Map.of(
            "name", Problem.INVALID_NAME,
            "prefix", Problem.INVALID_PREFIX,
            "limit", Problem.INVALID_LIMIT,
            "cursor", Problem.INVALID_CURSOR);

    private final FunctionPool functions;
    private final int maxBodyBytes;
    private final Duration environmentWait;

    ApiGatewayBridge(FunctionPool functions, int maxBodyBytes, Duration environmentWait) {
        this.functions = functions;
        this.maxBodyBytes = maxBodyBytes;
        this.environmentWait = environmentWait;
    }

    @Override
    public void handle(ServerRequest request, ServerResponse response) throws IOException {
        HttpsFront.send(request, response, respond(request, request.prologue().method().text(), UUID.randomUUID().toString()));
    }

    private APIGatewayProxyResponseEvent respond(ServerRequest request, String method, String requestId) throws IOException {
        String rawPath = request.prologue().uriPath().rawPath();
        String expect = request.headers().first(HeaderNames.EXPECT).orElse(null);
        if (expect != null && !expect.equalsIgnoreCase("100-continue")) {
            return closing(gatewayProblem(417, "the only expectation understood is 100-continue", requestId, Map.of()));
        }
        long announced = request.headers().contentLength().orElse(-1);
        if (announced > maxBodyBytes) {
            // Unread when the client waits for 100 Continue: it then sends nothing more.
            if (!request.headers().contains(HeaderValues.EXPECT_100)) {
                request.content().inputStream().transferTo(OutputStream.nullOutputStream());
            }
            return closing(tooLarge(requestId));
        }
        // Read whatever the route, but no more than a file.
        byte[] body = readBody(request.content().inputStream());
        if (body == null) {
            return closing(tooLarge(requestId));
        }
        return switch (Routes.match(method, rawPath)) {
            case Routes.Match.Found found -> {
                Map<String, List<String>> query;
                try {
                    query = parseQuery(request.prologue().query().rawValue());
                } catch (HttpProblem e) {
                    yield problem(e.problem(), e.getMessage(), requestId, Map.of());
                } catch (MalformedQuery e) {
                    yield gatewayProblem(400, e.getMessage(), requestId, Map.of());
                }
                yield invoke(found, request, query, body, requestId);
            }
            case Routes.Match.MethodNotAllowed notAllowed -> problem(Problem.METHOD_NOT_ALLOWED,
                    method + " is not allowed here", requestId, Map.of("Allow", String.join(", ", notAllowed.allowed())));
            case Routes.Match.NoRoute none -> problem(Problem.NOT_FOUND,
                    "no such resource", requestId, Map.of());
        };
    }

    /** The same answer, and the connection closed after it (what is left of the body is not read). */
    private static APIGatewayProxyResponseEvent closing(APIGatewayProxyResponseEvent response) {
        Map<String, String> headers = new LinkedHashMap<>(response.getHeaders());
        headers.put("Connection", "close");
        return response.withHeaders(headers);
    }

    /** The whole body, or null when it is larger than the largest file (chunked or not, it is read no further). */
    private byte[] readBody(InputStream in) throws IOException {
        byte[] body = in.readNBytes(maxBodyBytes);
        return in.read() < 0 ? body : null;
    }

    private APIGatewayProxyResponseEvent invoke(Routes.Match.Found found, ServerRequest request,
                                                Map<String, List<String>> query, byte[] body, String requestId) {
        APIGatewayProxyRequestEvent event = toEvent(found, request, query, body, requestId);
        String function = found.route().function();
        Deadline deadline = Deadline.current();
        if (deadline != null) {
            deadline.pause();
        }
        return functions.borrow(function, environmentWait)
                .map(handler -> {
                    if (deadline != null) {
                        deadline.function();
                    }
                    try {
                        return handler.handleRequest(event, new LocalContext(function, requestId));
                    } finally {
                        functions.giveBack(function, handler);
                    }
                })
                .orElseGet(() -> gatewayProblem(503, "every execution environment of " + function
                        + " stayed busy; retry later", requestId, Map.of("Retry-After", "1")));
    }

    /** What API Gateway answers itself, before any function runs. */
    private static APIGatewayProxyResponseEvent problem(Problem problem, String detail, String requestId,
                                                        Map<String, String> headers) {
        return Responses.problem(problem, detail, requestId).headers(headers).toEvent(requestId);
    }

    /** A body larger than a file may be: what the functions answer, answered before any runs. */
    static APIGatewayProxyResponseEvent tooLarge(String requestId) {
        return problem(Problem.CONTENT_TOO_LARGE, "the body is larger than the largest file accepted", requestId, Map.of());
    }

    /**
     * A refusal of API Gateway's own, with its problem types: {@code request-refused} for a 4xx
     * (as a throttled or unsigned request in AWS), {@code gateway-error} for a 5xx.
     */
    static APIGatewayProxyResponseEvent gatewayProblem(int status, String detail, String requestId,
                                                       Map<String, String> headers) {
        boolean client = status < 500;
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("type", "urn:hello-serverless:problem:" + (client ? "request-refused" : "gateway-error"));
        json.put("title", client ? "Request refused" : "Gateway error");
        json.put("status", status);
        json.put("detail", detail);
        json.put("instance", requestId);
        return HttpResponse.status(status)
                .header("Content-Type", "application/problem+json")
                .headers(headers)
                .json(Json.GSON.toJson(json))
                .toEvent(requestId);
    }

    private static APIGatewayProxyRequestEvent toEvent(Routes.Match.Found found, ServerRequest request,
                                                       Map<String, List<String>> multiQuery, byte[] body, String requestId) {
        Map<String, String> headers = new LinkedHashMap<>();
        Map<String, List<String>> multiHeaders = new LinkedHashMap<>();
        for (Header header : request.headers()) {
            List<String> values = header.allValues();
            multiHeaders.put(header.name(), List.copyOf(values));
            headers.put(header.name(), values.getLast());
        }
        String method = request.prologue().method().text();
        String rawPath = request.prologue().uriPath().rawPath();
        Map<String, String> query = new LinkedHashMap<>();
        multiQuery.forEach((name, values) -> query.put(name, values.getLast()));
        APIGatewayProxyRequestEvent.ProxyRequestContext context = new APIGatewayProxyRequestEvent.ProxyRequestContext()
                .withRequestId(requestId)
                .withStage("local")
                .withHttpMethod(method)
                .withResourcePath(found.route().template())
                .withPath(rawPath)
                .withIdentity(new APIGatewayProxyRequestEvent.RequestIdentity()
                        .withSourceIp(request.remotePeer().host()));
        return new APIGatewayProxyRequestEvent()
                .withResource(found.route().template())
                .withPath(rawPath)
                .withHttpMethod(method)
                .withHeaders(headers)
                .withMultiValueHeaders(multiHeaders)
                .withQueryStringParameters(query.isEmpty() ? null : query)
                .withMultiValueQueryStringParameters(multiQuery.isEmpty() ? null : multiQuery)
                .withPathParameters(found.name().map(name -> Map.of("name", name)).orElse(null))
                .withRequestContext(context)
                .withBody(body.length == 0 ? null : Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(body.length > 0);
    }

    /**
     * The query as API Gateway hands it over: decoded ({@code +} is a space), each parameter with
     * its values. A malformed escape or bytes that are not UTF-8 are refused with the problem of
     * the parameter they are in (the front refuses a malformed escape itself, before this).
     */
    static Map<String, List<String>> parseQuery(String rawQuery) {
        Map<String, List<String>> parameters = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return parameters;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = decode(equals < 0 ? pair : pair.substring(0, equals), null);
            String value = equals < 0 ? "" : decode(pair.substring(equals + 1), name);
            parameters.computeIfAbsent(name, n -> new ArrayList<>()).add(value);
        }
        return parameters;
    }

    private static String decode(String part, String parameter) {
        Problem problem = parameter == null ? null : PARAMETERS.get(parameter);
        String what = parameter == null ? "a query parameter's name" : "the query parameter '" + parameter + "'";
        try {
            return HttpRequest.percentDecode(part.replace('+', ' '), problem == null ? Problem.INVALID_NAME : problem, what);
        } catch (HttpProblem e) {
            throw problem == null ? new MalformedQuery(e.getMessage()) : e;
        }
    }

    /** A malformed parameter name, or value of a parameter the API does not read: API Gateway's own 400. */
    static final class MalformedQuery extends RuntimeException {
        MalformedQuery(String detail) {
            super(detail);
        }
    }
}
