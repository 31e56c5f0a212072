package io.helloserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A client cannot starve the laptop server, and the query is decoded as strictly as the path: each
 * against a started server with small limits (1 KiB files, 3 requests at once, 2 s of waiting on a
 * client), over raw HTTPS where the JDK's client would not misbehave on purpose.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalServerLimitsIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);
    /** Far below the request timeout: an answer this fast did not wait for a body. */
    private static final long PROMPT_MILLIS = 1500;

    private Path data;
    private LocalServer server;
    private HttpClient client;

    @BeforeAll
    void start() throws Exception {
        data = Files.createTempDirectory("hs-local-limits-it");
        server = LocalServer.start(LocalOptions.parse(new String[] {"--port=0", "--data-dir=" + data,
                "--max-file-bytes=1024", "--max-requests=3", "--request-timeout=" + TIMEOUT.toSeconds()}, Map.of()));
        client = RawClient.httpClient(server.certificate());
    }

    @AfterAll
    void stop() throws Exception {
        client.close();
        server.close();
    }

    @Test
    void refusesABodyAnnouncedTooLargeWithoutWaitingForIt() throws Exception {
        long started = System.nanoTime();
        try (RawClient raw = raw()) {
            raw.write(post("/v1/files?name=announced.txt", "Content-Length: 100000000\r\n"));

            assertProblem(raw.read(), 413, "content-too-large");
        }
        assertTrue(millisSince(started) < PROMPT_MILLIS, "answered in " + millisSince(started) + " ms");
        assertEquals(404, get("/v1/files/announced.txt").statusCode());
    }

    /**
     * A client that sends its whole body, a little too large, gets its 413 every time: closing the
     * connection on the unread body reset it, and the reset dropped the answer (a flaky 1 MiB test).
     */
    @Test
    void answersEveryBodySentWholeButTooLargeWith413() throws Exception {
        HttpRequest tooLarge = HttpRequest.newBuilder(server("/v1/files?name=sent-whole.txt"))
                .header("Content-Type", "text/plain")
                .POST(BodyPublishers.ofString("a".repeat(256 * 1024)))
                .build();
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> response = client.send(tooLarge, BodyHandlers.ofString());
            assertEquals(413, response.statusCode(), "attempt " + i);
        }
        assertEquals(404, get("/v1/files/sent-whole.txt").statusCode());
    }

    @Test
    void stopsReadingAChunkedBodyAtTheLimit() throws Exception {
        long started = System.nanoTime();
        try (RawClient raw = raw()) {
            // 2 KiB in one chunk, and the body never ends.
            raw.write(post("/v1/files?name=chunked.txt", "Transfer-Encoding: chunked\r\n") + "800\r\n" + "a".repeat(2048) + "\r\n");

            assertProblem(raw.read(), 413, "content-too-large");
        }
        assertTrue(millisSince(started) < PROMPT_MILLIS, "answered in " + millisSince(started) + " ms");
        assertEquals(404, get("/v1/files/chunked.txt").statusCode());
    }

    @Test
    void acceptsAChunkedBodyUpToTheLimit() throws Exception {
        try (RawClient raw = raw()) {
            raw.write(post("/v1/files?name=chunked-ok.txt", "Transfer-Encoding: chunked\r\n")
                    + "400\r\n" + "b".repeat(1024) + "\r\n0\r\n\r\n");

            assertEquals(201, raw.read().status());
        }
        assertEquals("b".repeat(1024), get("/v1/files/chunked-ok.txt").body());
    }

    /** No 100 Continue for a body that will be refused: the refusal instead, the body never sent. */
    @Test
    void answersAnExpectationOfABodyTooLargeWith413InsteadOf100() throws Exception {
        try (RawClient raw = raw()) {
            raw.write(post("/v1/files?name=expected.txt", "Content-Length: 2000\r\nExpect: 100-continue\r\n"));

            assertProblem(raw.read(), 413, "content-too-large");
            assertTrue(raw.closedByServer(), "the connection is closed rather than the body read");
        }
        assertEquals(404, get("/v1/files/expected.txt").statusCode());
    }

    @Test
    void continuesAnExpectationOfABodyWithinTheLimit() throws Exception {
        try (RawClient raw = raw()) {
            raw.write(post("/v1/files?name=continued.txt", "Content-Length: 5\r\nExpect: 100-continue\r\n"));

            assertEquals(100, raw.read().status());
            raw.write("hello");
            assertEquals(201, raw.read().status());
        }
        assertEquals("hello", get("/v1/files/continued.txt").body());
    }

    @Test
    void refusesAnExpectationItDoesNotKnowWith417() throws Exception {
        try (RawClient raw = raw()) {
            raw.write(post("/v1/files?name=unexpected.txt", "Content-Length: 5\r\nExpect: a-miracle\r\n") + "hello");

            assertProblem(raw.read(), 417, "request-refused");
        }
        assertEquals(404, get("/v1/files/unexpected.txt").statusCode());
    }

    @Test
    void closesTheConnectionOfAClientTricklingItsBodyAndServesOthers() throws Exception {
        long started = System.nanoTime();
        try (RawClient raw = raw(Duration.ofSeconds(8))) {
            raw.write(post("/v1/files?name=trickled.txt", "Content-Length: 500\r\n"));
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 500; i++) {
                        raw.write("t");
                        Thread.sleep(200);
                    }
                } catch (IOException | InterruptedException e) {
                    // closed by the server, as expected
                }
            });

            assertTrue(raw.closedByServer(), "closed within 8 s");
            trickle.interrupt();
        }
        long took = millisSince(started);
        assertTrue(took >= TIMEOUT.toMillis() - 100 && took < TIMEOUT.toMillis() + 1500, "closed after " + took + " ms");
        assertEquals(404, get("/v1/files/trickled.txt").statusCode());
        assertEquals(200, get("/v1/health").statusCode());
    }

    @Test
    void refusesRequestsBeyondTheCapWith503AndServesAgainOnceTheyEnd() throws Exception {
        List<RawClient> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                // Each announces a body and sends one byte of it: three requests in flight, for the 2 s they are given.
                slow.add(raw(Duration.ofSeconds(8)).write(post("/v1/files?name=slow-" + i + ".txt", "Content-Length: 10\r\n") + "x"));
            }
            Thread.sleep(500);

            long started = System.nanoTime();
            HttpResponse<String> refused = get("/v1/health");
            assertTrue(millisSince(started) < PROMPT_MILLIS, "refused at once, not queued");
            assertProblem(refused.statusCode(), refused.headers().firstValue("Content-Type").orElse(""), refused.body(),
                    503, "gateway-error");
            assertEquals("1", refused.headers().firstValue("Retry-After").orElseThrow());

            for (RawClient request : slow) {
                assertTrue(request.closedByServer());
            }
            assertEquals(200, get("/v1/health").statusCode(), "the slots are given back");
        } finally {
            for (RawClient request : slow) {
                request.close();
            }
        }
    }

    @Test
    void refusesAQueryThatIsNotPercentEncodedUtf8AndCreatesNothing() throws Exception {
        HttpResponse<String> latin1 = send(HttpRequest.newBuilder(server("/v1/files?name=%FF"))
                .header("Content-Type", "text/plain").POST(BodyPublishers.ofString("x")));
        HttpResponse<String> truncated = send(HttpRequest.newBuilder(server("/v1/files?name=caf%C3"))
                .header("Content-Type", "text/plain").POST(BodyPublishers.ofString("x")));
        HttpResponse<String> prefix = get("/v1/files?prefix=%C3%28");

        assertProblem(latin1.statusCode(), latin1.headers().firstValue("Content-Type").orElse(""), latin1.body(), 400, "invalid-name");
        assertProblem(truncated.statusCode(), truncated.headers().firstValue("Content-Type").orElse(""), truncated.body(), 400, "invalid-name");
        assertProblem(prefix.statusCode(), prefix.headers().firstValue("Content-Type").orElse(""), prefix.body(), 400, "invalid-prefix");
        assertEquals(404, get("/v1/files/%EF%BF%BD").statusCode(), "no file named U+FFFD");
        assertEquals(404, get("/v1/files/caf%EF%BF%BD").statusCode());
    }

    /** The front refuses a malformed escape itself (its parser), before any handler: a 400 problem, nothing created. */
    @Test
    void refusesAMalformedEscapeInTheQuery() throws Exception {
        try (RawClient raw = raw()) {
            raw.write(post("/v1/files?name=%zz", "Content-Length: 1\r\n") + "x");

            assertProblem(raw.read(), 400, "request-refused");
        }
        assertEquals(404, get("/v1/files/%25zz").statusCode());
    }

    @Test
    void decodesPlusAsSpaceAndAnEscapedPlusAsPlus() throws Exception {
        HttpResponse<String> created = send(HttpRequest.newBuilder(server("/v1/files?name=a+b%2Bc.txt"))
                .header("Content-Type", "text/plain").POST(BodyPublishers.ofString("x")));

        assertEquals(201, created.statusCode(), created.body());
        assertEquals("a b+c.txt", JsonParser.parseString(created.body()).getAsJsonObject().get("name").getAsString());
    }

    /**
     * A function whose only execution environment stays busy (S3 never answers): the next request
     * is refused after the wait, and the first gets a 504 at its deadline, as API Gateway answers
     * when its integration times out.
     */
    @Test
    void refusesARequestWhoseFunctionStaysBusyWith503AndTheStuckOneWith504() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             LocalServer busy = LocalServer.start(LocalOptions.parse(new String[] {"--port=0",
                     "--data-dir=" + Files.createTempDirectory("hs-local-busy-it"), "--environments=1", "--request-timeout=1",
                     "--s3=http://127.0.0.1:" + silent.getLocalPort()},
                     Map.of("AWS_ACCESS_KEY_ID", "local", "AWS_SECRET_ACCESS_KEY", "local-secret")));
             HttpClient busyClient = RawClient.httpClient(busy.certificate())) {
            HttpRequest create = HttpRequest.newBuilder(java.net.URI.create("https://localhost:" + busy.port() + "/v1/files?name=stuck.txt"))
                    .header("Content-Type", "text/plain").POST(BodyPublishers.ofString("x")).timeout(Duration.ofSeconds(30)).build();
            CompletableFuture<HttpResponse<String>> first = busyClient.sendAsync(create, BodyHandlers.ofString());
            Thread.sleep(500);

            long started = System.nanoTime();
            HttpResponse<String> second = busyClient.send(create, BodyHandlers.ofString());
            long took = millisSince(started);

            assertProblem(second.statusCode(), second.headers().firstValue("Content-Type").orElse(""), second.body(), 503, "gateway-error");
            assertEquals("1", second.headers().firstValue("Retry-After").orElseThrow());
            assertTrue(took >= 900 && took < 2500, "refused after " + took + " ms");
            HttpResponse<String> stuck = first.get();
            assertProblem(stuck.statusCode(), stuck.headers().firstValue("Content-Type").orElse(""), stuck.body(), 504, "gateway-error");
        }
    }

    private RawClient raw() throws Exception {
        return raw(Duration.ofSeconds(5));
    }

    private RawClient raw(Duration readTimeout) throws Exception {
        return RawClient.connect(server.port(), server.certificate(), readTimeout);
    }

    private static String post(String target, String headers) {
        return "POST " + target + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n" + headers + "\r\n";
    }

    private java.net.URI server(String target) {
        return java.net.URI.create("https://localhost:" + server.port() + target);
    }

    private HttpResponse<String> get(String target) throws Exception {
        return send(HttpRequest.newBuilder(server(target)).GET());
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), BodyHandlers.ofString());
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static void assertProblem(RawClient.Response response, int status, String type) {
        assertProblem(response.status(), response.headers().getOrDefault("content-type", ""), response.body(), status, type);
    }

    private static void assertProblem(int status, String contentType, String body, int expectedStatus, String type) {
        assertEquals(expectedStatus, status, body);
        assertEquals("application/problem+json", contentType);
        JsonObject problem = JsonParser.parseString(body).getAsJsonObject();
        assertEquals("urn:hello-serverless:problem:" + type, problem.get("type").getAsString());
        assertEquals(expectedStatus, problem.get("status").getAsInt());
        assertFalse(problem.get("instance").getAsString().isEmpty());
    }
}
