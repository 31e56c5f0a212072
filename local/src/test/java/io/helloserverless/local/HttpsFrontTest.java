package io.helloserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The front's own limits and answers, each on a front of its own with small limits and a handler
 * that answers {@code fine} (or fails as asked), over raw TLS where a well-behaved client would
 * not misbehave on purpose.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HttpsFrontTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(1);

    private SSLContext tls;
    private Path certificate;
    private HttpsFront front;

    @BeforeAll
    void certificate() throws Exception {
        Path folder = Files.createTempDirectory("hs-front-test").resolve("tls");
        tls = SelfSignedCertificate.sslContext(folder);
        certificate = folder.resolve("localhost.pem");
    }

    @AfterEach
    void stop() {
        if (front != null) {
            front.close();
        }
    }

    @Test
    void answersAnOutOfMemoryErrorWith503AndServesOn() throws Exception {
        start(limits(64, 16));
        try (HttpClient client = RawClient.httpClient(certificate)) {
            HttpResponse<String> failed = get(client, "/out-of-memory");

            assertEquals(503, failed.statusCode());
            assertEquals("application/problem+json", failed.headers().firstValue("Content-Type").orElseThrow());
            assertEquals("1", failed.headers().firstValue("Retry-After").orElseThrow());
            JsonObject problem = JsonParser.parseString(failed.body()).getAsJsonObject();
            assertEquals("urn:hello-serverless:problem:gateway-error", problem.get("type").getAsString());
            assertEquals(failed.headers().firstValue("X-Request-Id").orElseThrow(), problem.get("instance").getAsString());
            assertEquals("fine", get(client, "/other").body(), "the server serves on");
        }
    }

    @Test
    void refusesARequestLineLongerThanTheLimitWith414AndCloses() throws Exception {
        start(limits(64, 16));
        try (RawClient raw = raw()) {
            raw.write("GET /" + "a".repeat(300) + " HTTP/1.1\r\nHost: localhost\r\n\r\n");

            assertRefused(raw.read(), 414);
            assertTrue(raw.closedByServer());
        }
    }

    @Test
    void refusesAHeaderSectionLargerThanTheLimitWith431AndCloses() throws Exception {
        start(limits(64, 16));
        try (RawClient raw = raw()) {
            raw.write("GET /fine HTTP/1.1\r\nHost: localhost\r\nX-Large: " + "b".repeat(2000) + "\r\n\r\n");

            assertRefused(raw.read(), 431);
            assertTrue(raw.closedByServer());
        }
    }

    @Test
    void answersAClientTricklingItsHeadersWith408AndCloses() throws Exception {
        start(limits(64, 16));
        try (RawClient raw = raw()) {
            raw.write("GET /fine HTTP/1.1\r\nHost: localhost\r\n");
            long started = System.nanoTime();
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 50; i++) {
                        Thread.sleep(100);
                        raw.write("X-Slow-" + i + ": x\r\n");
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the server, as expected
                }
            });

            assertRefused(raw.read(), 408);
            long took = millisSince(started);
            assertTrue(took >= TIMEOUT.toMillis() - 100 && took < TIMEOUT.toMillis() + 1000, "answered after " + took + " ms");
            assertTrue(raw.closedByServer());
            trickle.interrupt();
        }
    }

    /** Helidon times a connection's idleness on a clock of whole seconds: the close comes within a second of the timeout. */
    @Test
    void closesAConnectionLeftIdleAfterItsRequests() throws Exception {
        Duration idle = Duration.ofSeconds(2);
        start(new HttpsFront.Limits(256, 1024, 8 * 1024 * 1024, 64, 16, TIMEOUT, idle));
        try (RawClient raw = RawClient.connect(front.port(), certificate, Duration.ofSeconds(5))) {
            raw.write("GET /fine HTTP/1.1\r\nHost: localhost\r\n\r\n");
            assertEquals(200, raw.read().status());
            long started = System.nanoTime();

            assertTrue(raw.closedByServer(), "closed within the read timeout");
            long took = millisSince(started);
            assertTrue(took >= idle.toMillis() - 1100 && took < idle.toMillis() + 1600, "closed after " + took + " ms");
        }
    }

    @Test
    void closesAConnectionThatNeverCompletesItsRequestLine() throws Exception {
        start(limits(64, 16));
        try (RawClient raw = raw()) {
            raw.write("GET /fi");
            long started = System.nanoTime();

            assertTrue(raw.closedByServer(), "closed within the read timeout");
            assertTrue(millisSince(started) < TIMEOUT.toMillis() + 1500, "closed after " + millisSince(started) + " ms");
        }
    }

    /** Beyond the cap a connection waits to be accepted (its handshake with it), and is served once another closes. */
    @Test
    void holdsAConnectionBeyondTheCapUntilAnotherCloses() throws Exception {
        start(limits(64, 2));
        RawClient first = raw();
        try (RawClient second = raw()) {
            for (RawClient client : new RawClient[] {first, second}) {
                client.write("GET /fine HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertEquals(200, client.read().status());
            }
            CompletableFuture<RawClient> third = CompletableFuture.supplyAsync(() -> {
                try {
                    return raw();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, runnable -> Thread.ofVirtual().start(runnable));
            assertThrows(TimeoutException.class, () -> third.get(400, TimeUnit.MILLISECONDS), "not accepted beyond the cap");

            first.close();
            try (RawClient served = third.get(3, TimeUnit.SECONDS)) {
                served.write("GET /fine HTTP/1.1\r\nHost: localhost\r\n\r\n");
                assertEquals(200, served.read().status());
            }
        } finally {
            first.close();
        }
    }

    @Test
    void answersARequestToHeadItCannotParseWithTheStatusAlone() throws Exception {
        start(limits(64, 16));
        try (RawClient raw = raw()) {
            raw.write("HEAD /%zz HTTP/1.1\r\nHost: localhost\r\n\r\n");

            RawClient.Response refused = raw.read();
            assertEquals(400, refused.status());
            assertEquals("0", refused.headers().get("content-length"));
            assertFalse(refused.headers().getOrDefault("x-request-id", "").isEmpty());
            assertTrue(raw.closedByServer());
        }
    }

    private void start(HttpsFront.Limits limits) {
        front = HttpsFront.prepare(0, tls, limits).start((request, response) -> {
            if (request.prologue().uriPath().rawPath().equals("/out-of-memory")) {
                long[] tooLarge = new long[Integer.MAX_VALUE];
                response.header("X-Length", Integer.toString(tooLarge.length));
            }
            HttpsFront.send(request, response, new APIGatewayProxyResponseEvent().withStatusCode(200)
                    .withHeaders(Map.of("Content-Type", "text/plain")).withBody("fine"));
        });
    }

    private static HttpsFront.Limits limits(int maxRequests, int maxConnections) {
        return new HttpsFront.Limits(256, 1024, 8 * 1024 * 1024, maxRequests, maxConnections, TIMEOUT, TIMEOUT);
    }

    private RawClient raw() throws Exception {
        return RawClient.connect(front.port(), certificate, Duration.ofSeconds(4));
    }

    private HttpResponse<String> get(HttpClient client, String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + front.port() + path))
                .timeout(Duration.ofSeconds(5)).build(), BodyHandlers.ofString());
    }

    private static void assertRefused(RawClient.Response response, int status) {
        assertEquals(status, response.status(), response.body());
        assertEquals("application/problem+json", response.headers().get("content-type"));
        JsonObject problem = JsonParser.parseString(response.body()).getAsJsonObject();
        assertEquals(status, problem.get("status").getAsInt());
        assertEquals(response.headers().get("x-request-id"), problem.get("instance").getAsString());
        assertEquals("close", response.headers().get("connection"));
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
