package io.helloserverless.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.Handler;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The API reference at {@code /}: Swagger UI (the org.webjars:swagger-ui jar, served from the
 * class path under {@code /swagger-ui/}) on the very {@code terraform/openapi.yaml} Terraform
 * deploys, which the build copies into this jar. Only GET and HEAD of these few paths are answered
 * here; every other request goes on to {@code next}, as before.
 */
final class ApiReference implements Handler {

    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none'; "
            + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static final String OWN = "api-reference/";
    private static final String WEBJAR = "META-INF/resources/webjars/swagger-ui/" + webjarVersion() + "/";
    private static final Map<String, String> PAGES = Map.of(
            "/", OWN + "index.html",
            "/index.html", OWN + "index.html",
            "/api-reference.js", OWN + "api-reference.js",
            "/openapi.yaml", OWN + "openapi.yaml");
    private static final Pattern WEBJAR_FILE = Pattern.compile("/swagger-ui/([A-Za-z0-9_-]+(?:\\.[A-Za-z0-9_-]+)+)");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "png", "image/png",
            "yaml", "application/yaml",
            "txt", "text/plain; charset=utf-8");

    private final Handler next;

    ApiReference(Handler next) {
        this.next = next;
    }

    @Override
    public void handle(ServerRequest request, ServerResponse response) throws Exception {
        String method = request.prologue().method().text();
        String resource = method.equals("GET") || method.equals("HEAD") ? resource(request.prologue().uriPath().rawPath()) : null;
        InputStream file = resource == null ? null : ApiReference.class.getClassLoader().getResourceAsStream(resource);
        if (file == null) {
            next.handle(request, response);
            return;
        }
        byte[] body;
        try (file) {
            body = file.readAllBytes();
        }
        Map<String, String> headers = new LinkedHashMap<>(Map.of(
                "Content-Type", TYPES.getOrDefault(resource.substring(resource.lastIndexOf('.') + 1), "application/octet-stream"),
                "Content-Security-Policy", CONTENT_SECURITY_POLICY,
                "X-Content-Type-Options", "nosniff",
                "Referrer-Policy", "no-referrer",
                "Cache-Control", "no-cache"));
        if (request.headers().contentLength().orElse(0) > 0 || request.headers().contains(HeaderNames.TRANSFER_ENCODING)) {
            // No page takes a body: rather than read it after the answer, past the request's deadline, close.
            headers.put("Connection", "close");
        }
        HttpsFront.send(request, response, new APIGatewayProxyResponseEvent()
                .withStatusCode(200)
                .withHeaders(headers)
                .withBody(Base64.getEncoder().encodeToString(body))
                .withIsBase64Encoded(true));
    }

    /** The class-path resource for a request path, or null when the path is not one of the page's. */
    static String resource(String rawPath) {
        String own = PAGES.get(rawPath);
        if (own != null) {
            return own;
        }
        var webjar = WEBJAR_FILE.matcher(rawPath);
        return webjar.matches() ? WEBJAR + webjar.group(1) : null;
    }

    private static String webjarVersion() {
        try (InputStream in = ApiReference.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars/swagger-ui/pom.properties")) {
            if (in == null) {
                throw new IllegalStateException("org.webjars:swagger-ui is not on the class path");
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
