package io.helloserverless.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * The API reference at {@code /}: Swagger UI (the org.webjars:swagger-ui jar, served from the
 * class path under {@code /swagger-ui/}) on the very {@code terraform/openapi.yaml} Terraform
 * deploys, which the build copies into this jar. Only GET and HEAD of these few paths are answered
 * here; every other request goes on to {@code next}, as before.
 */
final class ApiReference implements HttpHandler {

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

    private final HttpHandler next;

    ApiReference(HttpHandler next) {
        this.next = next;
    }

    @Override
    public void handle(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String resource = method.equals("GET") || method.equals("HEAD") ? resource(exchange.getRequestURI().getRawPath()) : null;
        InputStream file = resource == null ? null : ApiReference.class.getClassLoader().getResourceAsStream(resource);
        if (file == null) {
            next.handle(exchange);
            return;
        }
        try (exchange; file) {
            // A body (no page takes one) is left unread: the JDK server drains a little of it, else closes the connection.
            byte[] body = file.readAllBytes();
            var headers = exchange.getResponseHeaders();
            headers.set("Content-Type", TYPES.getOrDefault(resource.substring(resource.lastIndexOf('.') + 1), "application/octet-stream"));
            headers.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
            headers.set("X-Content-Type-Options", "nosniff");
            headers.set("Referrer-Policy", "no-referrer");
            headers.set("Cache-Control", "no-cache");
            if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
                return;
            }
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
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
