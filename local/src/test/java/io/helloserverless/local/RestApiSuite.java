package io.helloserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The REST API end to end over real HTTPS, run against every way the service is served: the
 * laptop server ({@code LocalServerIT}) and the deployment rehearsal ({@code RehearsalIT}). A
 * subclass starts its server before the tests and says where it is and which certificate to trust.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class RestApiSuite {

    protected HttpClient client;

    /** The port served on localhost. */
    protected abstract int port();

    /** The certificate (or CA) the server's certificate is checked against. */
    protected abstract Path trustedCertificate();

    /** A client of the server, offering only {@code protocols}. */
    protected HttpClient client(String... protocols) throws Exception {
        return client(protocols, null);
    }

    /** A client of the server, offering only {@code protocols} and, when given, only {@code cipherSuites}. */
    protected HttpClient client(String[] protocols, String[] cipherSuites) throws Exception {
        SSLContext tls = TrustedCertificate.sslContext(trustedCertificate());
        SSLParameters parameters = new SSLParameters();
        parameters.setProtocols(protocols);
        if (cipherSuites != null) {
            parameters.setCipherSuites(cipherSuites);
        }
        return HttpClient.newBuilder().sslContext(tls).sslParameters(parameters)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    protected URI uri(String pathAndQuery) {
        return URI.create("https://localhost:" + port() + pathAndQuery);
    }

    protected String fileUri(String name) {
        return "/v1/files/" + URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
    }

    protected HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = client.send(request.timeout(Duration.ofSeconds(30)).build(), BodyHandlers.ofString());
        assertTrue(response.headers().firstValue("X-Request-Id").isPresent(), "every response carries X-Request-Id");
        return response;
    }

    protected HttpResponse<String> create(String name, byte[] body, String contentType) throws Exception {
        return send(HttpRequest.newBuilder(uri("/v1/files?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8)))
                .header("Content-Type", contentType).POST(BodyPublishers.ofByteArray(body)));
    }

    protected HttpResponse<String> create(String name, String text) throws Exception {
        return create(name, text.getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-8");
    }

    protected HttpResponse<String> get(String name) throws Exception {
        return send(HttpRequest.newBuilder(uri(fileUri(name))).GET());
    }

    protected JsonObject json(HttpResponse<String> response) {
        return JsonParser.parseString(response.body()).getAsJsonObject();
    }

    protected void assertProblem(HttpResponse<String> response, int status, String type) {
        assertEquals(status, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        JsonObject problem = json(response);
        assertEquals("urn:hello-serverless:problem:" + type, problem.get("type").getAsString());
        assertEquals(status, problem.get("status").getAsInt());
        assertEquals(response.headers().firstValue("X-Request-Id").orElseThrow(), problem.get("instance").getAsString());
    }

    @Test
    void servesTheWholeLifeOfAFile() throws Exception {
        String name = "journal ✓ 2026.txt";
        HttpResponse<String> created = create(name, "day one\n");
        assertEquals(201, created.statusCode());
        assertEquals(fileUri(name), created.headers().firstValue("Location").orElseThrow());
        String v1 = created.headers().firstValue("ETag").orElseThrow();

        HttpResponse<String> read = get(name);
        assertEquals(200, read.statusCode());
        assertEquals("day one\n", read.body());
        assertEquals("text/plain; charset=utf-8", read.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(v1, read.headers().firstValue("ETag").orElseThrow());
        assertTrue(read.headers().firstValue("Last-Modified").isPresent());
        assertTrue(read.headers().firstValue("Repr-Digest").orElseThrow().startsWith("sha-256=:"));

        HttpResponse<Void> head = client.send(HttpRequest.newBuilder(uri(fileUri(name)))
                .method("HEAD", BodyPublishers.noBody()).build(), BodyHandlers.discarding());
        assertEquals(200, head.statusCode());
        assertEquals("8", head.headers().firstValue("Content-Length").orElseThrow());

        assertEquals(304, send(HttpRequest.newBuilder(uri(fileUri(name))).header("If-None-Match", v1).GET()).statusCode());

        HttpResponse<String> updated = send(HttpRequest.newBuilder(uri(fileUri(name)))
                .header("Content-Type", "text/plain").header("If-Match", v1).PUT(BodyPublishers.ofString("day two\n")));
        assertEquals(200, updated.statusCode());
        assertEquals(2, json(updated).get("version").getAsInt());
        assertEquals("day two\n", get(name).body());

        assertProblem(send(HttpRequest.newBuilder(uri(fileUri(name))).header("Content-Type", "text/plain")
                .header("If-Match", v1).PUT(BodyPublishers.ofString("lost update"))), 412, "precondition-failed");
        assertProblem(send(HttpRequest.newBuilder(uri(fileUri(name))).header("If-Match", v1).DELETE()), 412, "precondition-failed");

        assertEquals(204, send(HttpRequest.newBuilder(uri(fileUri(name))).DELETE()).statusCode());
        assertProblem(get(name), 404, "not-found");
    }

    @Test
    void refusesASecondFileOfTheSameName() throws Exception {
        create("unique.txt", "first");

        assertProblem(create("unique.txt", "second"), 409, "already-exists");
        assertEquals("first", get("unique.txt").body());
    }

    @Test
    void answersUnknownRoutesAndWrongMethodsAsApiGatewayWould() throws Exception {
        assertProblem(send(HttpRequest.newBuilder(uri("/v2/files")).GET()), 404, "not-found");
        assertProblem(send(HttpRequest.newBuilder(uri("/v1/files/a/b")).GET()), 404, "not-found");
        HttpResponse<String> patch = send(HttpRequest.newBuilder(uri("/v1/files/x"))
                .method("PATCH", BodyPublishers.ofString("x")));
        assertProblem(patch, 405, "method-not-allowed");
        assertEquals("DELETE, GET, HEAD, PUT", patch.headers().firstValue("Allow").orElseThrow());
        assertEquals("GET, POST", send(HttpRequest.newBuilder(uri("/v1/files")).DELETE())
                .headers().firstValue("Allow").orElseThrow());
    }

    @Test
    void refusesACreateWithoutAName() throws Exception {
        assertProblem(send(HttpRequest.newBuilder(uri("/v1/files")).header("Content-Type", "text/plain")
                .POST(BodyPublishers.ofString("x"))), 400, "missing-name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"..", ".", "tab\tin name", "a\\b", "nul\u0000"})
    void refusesBadNamesAndStoresNothing(String name) throws Exception {
        assertProblem(create(name, "x"), 400, "invalid-name");
    }

    @Test
    void refusesANameLongerThan255Bytes() throws Exception {
        assertProblem(create("é".repeat(128), "x"), 400, "invalid-name");
    }

    @Test
    void refusesContentThatIsNotPlainUtf8TextAndStoresNothing() throws Exception {
        assertProblem(create("latin1.txt", new byte[] {'c', 'a', 'f', (byte) 0xE9}, "text/plain"), 415, "unsupported-media-type");
        assertProblem(create("nul.txt", new byte[] {'a', 0, 'b'}, "text/plain"), 415, "unsupported-media-type");
        assertProblem(create("json.txt", "{}".getBytes(StandardCharsets.UTF_8), "application/json"), 415, "unsupported-media-type");
        assertProblem(create("utf16.txt", "x".getBytes(StandardCharsets.UTF_8), "text/plain; charset=utf-16"), 415, "unsupported-media-type");

        for (String name : List.of("latin1.txt", "nul.txt", "json.txt", "utf16.txt")) {
            assertEquals(404, get(name).statusCode(), name);
        }
    }

    @Test
    void refusesAFileOverOneMebibyteAndAcceptsOneOfExactlyThatSize() throws Exception {
        byte[] limit = new byte[1024 * 1024];
        java.util.Arrays.fill(limit, (byte) 'a');
        byte[] over = java.util.Arrays.copyOf(limit, limit.length + 1);
        over[limit.length] = 'a';

        assertProblem(create("over.txt", over, "text/plain"), 413, "content-too-large");
        assertEquals(404, get("over.txt").statusCode());
        assertEquals(201, create("limit.txt", limit, "text/plain").statusCode());
        assertEquals(limit.length, get("limit.txt").body().length());
    }

    @Test
    void acceptsAnEmptyFile() throws Exception {
        assertEquals(201, create("empty.txt", new byte[0], "text/plain").statusCode());
        assertEquals("", get("empty.txt").body());
    }

    @Test
    void refusesBadLimitsAndCursors() throws Exception {
        assertProblem(send(HttpRequest.newBuilder(uri("/v1/files?limit=0")).GET()), 400, "invalid-limit");
        assertProblem(send(HttpRequest.newBuilder(uri("/v1/files?limit=1001")).GET()), 400, "invalid-limit");
        assertProblem(send(HttpRequest.newBuilder(uri("/v1/files?limit=ten")).GET()), 400, "invalid-limit");
        assertProblem(send(HttpRequest.newBuilder(uri("/v1/files?cursor=bm90LWEtY3Vyc29y")).GET()), 400, "invalid-cursor");
    }

    @Test
    void listsNamesInUtf8ByteOrderAcrossPages() throws Exception {
        for (String name : List.of("order-😀", "order-B", "order-a", "order-é")) {
            create(name, name);
        }
        List<String> names = new ArrayList<>();
        String cursor = null;
        do {
            String query = "/v1/files?prefix=order-&limit=3" + (cursor == null ? "" : "&cursor=" + cursor);
            JsonObject page = json(send(HttpRequest.newBuilder(uri(query)).GET()));
            page.getAsJsonArray("items").forEach(item -> names.add(item.getAsJsonObject().get("name").getAsString()));
            cursor = page.get("nextCursor").isJsonNull() ? null : page.get("nextCursor").getAsString();
        } while (cursor != null);

        assertEquals(List.of("order-B", "order-a", "order-é", "order-😀"), names);
    }

    @Test
    void reportsItselfHealthy() throws Exception {
        HttpResponse<String> health = send(HttpRequest.newBuilder(uri("/v1/health")).GET());

        assertEquals(200, health.statusCode());
        assertEquals("ok", json(health).get("status").getAsString());
    }

    @Test
    void servesATls12Client() throws Exception {
        HttpResponse<String> response = client("TLSv1.2").send(HttpRequest.newBuilder(uri("/v1/health")).build(), BodyHandlers.ofString());

        assertEquals(200, response.statusCode());
    }

    @Test
    void keepsEveryOneOfFiftyConcurrentCreatesIntact() throws Exception {
        int files = 50;
        ExecutorService pool = Executors.newFixedThreadPool(files);
        try {
            List<Future<HttpResponse<String>>> responses = new ArrayList<>();
            for (int i = 0; i < files; i++) {
                String name = "concurrent-" + i;
                String text = ("line " + i + " of a file written concurrently\n").repeat(100 + i);
                responses.add(pool.submit(() -> create(name, text)));
            }
            for (Future<HttpResponse<String>> response : responses) {
                assertEquals(201, response.get().statusCode(), response.get().body());
            }
        } finally {
            pool.shutdownNow();
        }
        for (int i = 0; i < files; i++) {
            String expected = ("line " + i + " of a file written concurrently\n").repeat(100 + i);
            HttpResponse<String> read = get("concurrent-" + i);
            assertEquals(expected, read.body());
            assertEquals(sha256(expected), json(send(HttpRequest.newBuilder(uri("/v1/files?prefix=concurrent-" + i + "&limit=1")).GET()))
                    .getAsJsonArray("items").get(0).getAsJsonObject().get("sha256").getAsString());
        }
    }

    protected static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
