package io.helloserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The laptop server from outside, as a careless or hostile client meets it: a seeded fuzz of
 * request lines and headers it cannot parse (each answered with a problem and its request id, or
 * the status alone to a HEAD, and no connection dropped without an answer), and 256 keep-alive
 * clients at once (every request answered, no socket error).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrontIT {

    /** Fixed, so that a failure can be replayed; the cases are printed with it. */
    private static final long SEED = 16;
    private static final int CASES = 300;
    private static final int CLIENTS = 256;
    private static final int REQUESTS_PER_CLIENT = 4;

    private static final String[] METHODS = {"GET", "GET", "POST", "PUT", "DELETE", "HEAD", "HEAD", "G@T", "get", "FOO", "PATCH", ""};
    private static final String[] TARGETS = {
        "/v1/files/%zz", "/v1/files/%", "/v1/files/a%", "/v1/files/%4", "/v1/files/%FF", "/v1/files/%C3%28",
        "/v1/files/a%00b", "/v1/files/%2e%2e", "/v1/files/..", "/v1/files/ok.txt", "/v1/files/caf\u00c3\u00a9",
        "/v1/files/a\u0001b", "/v1/files/a\"b", "/v1/files/{x}", "/v1/files/a b", "/v1/files?name=%zz", "/v1/files?name=%",
        "/v1/files?prefix=%E2%82", "/v1/files?limit=abc", "/v1/files?%zz=1", "/v1/files?name=a&name=%G1", "/v1/files#frag",
        "/v1/health", "/v1/nothing", "*", "http://localhost/v1/files", "", "v1/files", "/v1/files/" + "x".repeat(5000)};
    private static final String[] VERSIONS = {"HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.1x", "", "http/1.1"};
    private static final String[] HEADERS = {
        "", "", "", "Host: localhost\r\n", "Bad Header: x\r\n", "X-A:\u0001\r\n", ": no-name\r\n", "X-Empty:\r\n",
        "Content-Length: -1\r\n", "Content-Length: abc\r\n", "Content-Length: 5\r\nContent-Length: 6\r\n",
        "Transfer-Encoding: gzip\r\n", "Transfer-Encoding: chunked\r\nContent-Length: 5\r\n", "No-Colon\r\n",
        " folded-continuation\r\n", "Expect: nonsense\r\n", "Content-Type: text/plain\r\n", "X-Large: " + "y".repeat(17_000) + "\r\n",
        "Content-Encoding: gzip\r\n", "X-Caf\u00e9: 1\r\n"};

    private Path data;
    private LocalServer server;

    @BeforeAll
    void start() throws Exception {
        data = Files.createTempDirectory("hs-front-it");
        // Room for every client at once: refusals beyond the cap are LocalServerLimitsIT's.
        server = LocalServer.start(LocalOptions.parse(new String[] {"--port=0", "--data-dir=" + data,
                "--max-requests=" + (2 * CLIENTS)}, Map.of()));
    }

    @AfterAll
    void stop() {
        server.close();
    }

    @Test
    void answersEveryRequestItCannotParseWithAProblemAndDropsNoConnection() throws Exception {
        Random random = new Random(SEED);
        List<String> failures = new ArrayList<>();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        for (int i = 0; i < CASES; i++) {
            String request = fuzzed(random);
            String failure = check(request, statuses);
            if (failure != null) {
                failures.add("case " + i + " (seed " + SEED + ") " + printable(request) + ": " + failure);
            }
        }
        System.out.println("FrontIT fuzz: statuses " + statuses);
        assertEquals(List.of(), failures);
        assertTrue(statuses.keySet().stream().anyMatch(status -> status == 400), "the fuzz met the parser's refusals");
    }

    @Test
    void serves256KeepAliveClientsAtOnceWithoutASocketError() throws Exception {
        try (RawClient setUp = raw()) {
            setUp.write(request("POST", "/v1/files?name=read-me.txt", "Content-Type: text/plain\r\nContent-Length: 5\r\n") + "hello");
            assertEquals(201, setUp.read().status());
        }
        List<String> errors = new java.util.concurrent.CopyOnWriteArrayList<>();
        AtomicInteger served = new AtomicInteger();
        CountDownLatch connected = new CountDownLatch(CLIENTS);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            clients.add(Thread.ofVirtual().start(() -> {
                try (RawClient raw = raw()) {
                    connected.countDown();
                    go.await();
                    Random random = new Random(SEED + client);
                    for (int r = 0; r < REQUESTS_PER_CLIENT; r++) {
                        int dice = random.nextInt(10);
                        int expected;
                        if (dice < 7) {
                            raw.write(request("GET", "/v1/files/read-me.txt", ""));
                            expected = 200;
                        } else if (dice < 9) {
                            raw.write(request("POST", "/v1/files?name=c" + client + "-" + r + ".txt",
                                    "Content-Type: text/plain\r\nContent-Length: 2\r\n") + "hi");
                            expected = 201;
                        } else {
                            raw.write(request("GET", "/v1/files?limit=10", ""));
                            expected = 200;
                        }
                        int status = raw.read().status();
                        if (status != expected) {
                            errors.add("client " + client + " request " + r + ": " + status + " instead of " + expected);
                        }
                        served.incrementAndGet();
                    }
                } catch (Exception e) {
                    connected.countDown();
                    errors.add("client " + client + ": " + e);
                }
            }));
        }
        connected.await();
        long started = System.nanoTime();
        go.countDown();
        for (Thread client : clients) {
            client.join(Duration.ofSeconds(60));
        }
        System.out.printf("FrontIT: %d clients, %d requests in %d ms%n", CLIENTS, served.get(),
                (System.nanoTime() - started) / 1_000_000);
        assertEquals(List.of(), errors);
        assertEquals(CLIENTS * REQUESTS_PER_CLIENT, served.get());
    }

    private static String fuzzed(Random random) {
        String method = pick(random, METHODS);
        String target = pick(random, TARGETS);
        String version = pick(random, VERSIONS);
        StringBuilder request = new StringBuilder(method).append(' ').append(target).append(' ').append(version).append("\r\n");
        if (random.nextInt(8) != 0) {
            request.append("Host: localhost\r\n");
        }
        request.append(pick(random, HEADERS));
        if (random.nextBoolean()) {
            request.append(pick(random, HEADERS));
        }
        // A body after a request line that is refused: the case the JDK server dropped connections on.
        boolean body = random.nextInt(3) == 0;
        if (body) {
            request.append("Content-Length: 5\r\n");
        }
        request.append("\r\n");
        if (body) {
            request.append("hello");
        }
        return request.toString();
    }

    /** Null when the answer is as promised, else what was wrong with it. */
    private String check(String request, Map<Integer, Integer> statuses) throws Exception {
        try (RawClient raw = raw()) {
            raw.write(request);
            RawClient.Response response;
            try {
                response = raw.read(request.startsWith("HEAD "));
            } catch (SocketException e) {
                return "dropped: " + e.getMessage();
            } catch (IOException e) {
                return e.getMessage();
            }
            statuses.merge(response.status(), 1, Integer::sum);
            if (response.status() >= 500 && response.status() != 505) {
                return response.status() + ": a server error for the client's mistake";
            }
            boolean head = request.startsWith("HEAD ");
            String requestId = response.headers().getOrDefault("x-request-id", "");
            if (requestId.isEmpty()) {
                return response.status() + " without X-Request-Id";
            }
            if (response.status() >= 400 && !head) {
                if (!response.headers().getOrDefault("content-type", "").equals("application/problem+json")) {
                    return response.status() + " as " + response.headers().get("content-type") + ": " + response.body();
                }
                JsonObject problem = JsonParser.parseString(response.body()).getAsJsonObject();
                if (problem.get("status").getAsInt() != response.status() || !problem.get("instance").getAsString().equals(requestId)) {
                    return "a problem unlike its response: " + response.body();
                }
            }
            if (head && !response.body().isEmpty()) {
                return "a body to HEAD";
            }
            if ("close".equals(response.headers().get("connection")) && !closedCleanly(raw)) {
                return response.status() + " and then a reset instead of a clean close";
            }
            return null;
        }
    }

    /** Whether the server ends the connection with an end of stream, not a reset (nor keeps it open). */
    private static boolean closedCleanly(RawClient raw) throws IOException {
        return raw.closedByServer() && !raw.wasReset();
    }

    private RawClient raw() throws Exception {
        return RawClient.connect(server.port(), server.certificate(), Duration.ofSeconds(10));
    }

    private static String request(String method, String target, String headers) {
        return method + " " + target + " HTTP/1.1\r\nHost: localhost\r\n" + headers + "\r\n";
    }

    private static String pick(Random random, String[] values) {
        return values[random.nextInt(values.length)];
    }

    private static String printable(String request) {
        String shown = request.length() > 200 ? request.substring(0, 200) + "..." : request;
        StringBuilder out = new StringBuilder();
        for (byte b : shown.getBytes(StandardCharsets.ISO_8859_1)) {
            int c = b & 0xff;
            out.append(c >= 0x20 && c < 0x7f ? String.valueOf((char) c) : String.format("\\x%02x", c));
        }
        return out.toString();
    }
}
