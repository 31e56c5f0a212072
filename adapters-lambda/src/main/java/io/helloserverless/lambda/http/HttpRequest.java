package io.helloserverless.lambda.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import io.helloserverless.core.domain.ContentPolicy;
import io.helloserverless.core.domain.ETagMatch;
import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.domain.TextContent;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** An API Gateway REST (v1) proxy event, read the way this API needs it. */
public final class HttpRequest {

    private final APIGatewayProxyRequestEvent event;
    private final String requestId;
    private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

    private HttpRequest(APIGatewayProxyRequestEvent event, String requestId) {
        this.event = event;
        this.requestId = requestId;
        if (event.getMultiValueHeaders() != null) {
            event.getMultiValueHeaders().forEach((name, values) -> headers.put(name, String.join(", ", values)));
        } else if (event.getHeaders() != null) {
            headers.putAll(event.getHeaders());
        }
    }

    /** The request id is API Gateway's when there is one, so it matches the access log. */
    public static HttpRequest of(APIGatewayProxyRequestEvent event, Context context) {
        String id = event.getRequestContext() != null && event.getRequestContext().getRequestId() != null
                ? event.getRequestContext().getRequestId()
                : context.getAwsRequestId();
        return new HttpRequest(event, id);
    }

    public String requestId() {
        return requestId;
    }

    public String method() {
        return event.getHttpMethod() == null ? "" : event.getHttpMethod().toUpperCase(Locale.ROOT);
    }

    /** The route template API Gateway matched, e.g. {@code /v1/files/{name}}, for logs. */
    public String route() {
        return event.getResource() == null ? "" : event.getResource();
    }


    public Optional<String> header(String name) {
        return Optional.ofNullable(headers.get(name));
    }

    /** The single value of a query parameter; a parameter given twice is refused, not guessed at. */
    public Optional<String> query(String name, Problem ifRepeated) {
        Map<String, List<String>> multi = event.getMultiValueQueryStringParameters();
        if (multi != null && multi.containsKey(name)) {
            List<String> values = multi.get(name);
            if (values.size() > 1) {
                throw new HttpProblem(ifRepeated, "the query parameter '" + name + "' is given more than once");
            }
            return values.stream().findFirst();
        }
        Map<String, String> single = event.getQueryStringParameters();
        return single == null ? Optional.empty() : Optional.ofNullable(single.get(name));
    }

    /**
     * The file name from the {@code {name}} path segment. API Gateway REST APIs pass the path
     * still percent-encoded, so it is decoded here, strictly, as UTF-8 (see docs/adr).
     */
    public FileName fileNameFromPath() {
        String raw = event.getPathParameters() == null ? null : event.getPathParameters().get("name");
        if (raw == null || raw.isEmpty()) {
            throw new HttpProblem(Problem.MISSING_NAME, "the path names no file");
        }
        return FileName.of(percentDecode(raw));
    }

    /** The file name from {@code ?name=} (create). */
    public FileName fileNameFromQuery() {
        return FileName.of(query("name", Problem.INVALID_NAME)
                .orElseThrow(() -> new HttpProblem(Problem.MISSING_NAME, "the query parameter 'name' is required")));
    }

    public byte[] body() {
        String body = event.getBody();
        if (body == null) {
            return new byte[0];
        }
        return Boolean.TRUE.equals(event.getIsBase64Encoded())
                ? Base64.getMimeDecoder().decode(body)
                : body.getBytes(StandardCharsets.UTF_8);
    }

    /** The body as file content, once {@code Content-Type} says it is plain text. */
    public TextContent textContent(ContentPolicy policy) {
        Headers.requirePlainText(header("Content-Type"));
        return TextContent.of(body(), policy);
    }

    /** {@code If-Match}, compared strongly: weak tags never match. */
    public Optional<ETagMatch> ifMatch() {
        return header("If-Match").map(value -> EntityTags.parse(value, false));
    }

    /** {@code If-None-Match}, compared weakly. */
    public ETagMatch ifNoneMatch() {
        return header("If-None-Match").map(value -> EntityTags.parse(value, true)).orElse(ETagMatch.NONE);
    }

    static String percentDecode(String raw) {
        return percentDecode(raw, Problem.INVALID_NAME, "the file name");
    }

    /**
     * Decodes percent-encoded UTF-8 strictly: a malformed escape, or bytes that are not UTF-8, are
     * refused with {@code problem} (saying what was refused: {@code what}), never replaced or kept
     * as they came. The path's file name and the laptop server's query go through it alike.
     */
    public static String percentDecode(String raw, Problem problem, String what) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()) {
                    throw new HttpProblem(problem, what + " has a malformed percent escape");
                }
                int hi = Character.digit(raw.charAt(i + 1), 16);
                int lo = Character.digit(raw.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new HttpProblem(problem, what + " has a malformed percent escape");
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] literal = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < raw.length()) {
                    literal = raw.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(literal);
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new HttpProblem(problem, what + " is not percent-encoded UTF-8");
        }
    }
}
