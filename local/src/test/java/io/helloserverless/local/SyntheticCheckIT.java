package io.helloserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.helloserverless.lambda.SyntheticCheckFunction;
import io.helloserverless.lambda.synthetic.SyntheticCheck;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;

/**
 * The daily synthetic check against the laptop server, which runs the deployed handlers. The
 * check reaches it through a small HTTPS relay that plays the part of API Gateway's IAM
 * authoriser: it records every request and checks its SigV4 signature against the request as it
 * arrived (the laptop server itself does not verify signatures), and it can answer 500 for
 * chosen requests to show how a failing API is reported.
 */
class SyntheticCheckIT {

    private static final String REGION = "eu-west-1";
    private static final String ACCESS_KEY = "AKIASYNTHETICCHECK01";
    private static final String SECRET_KEY = "synthetic-check-secret-key-never-logged";
    private static final String SESSION_TOKEN = "synthetic-check-session-token-never-logged";
    // Session credentials, as a Lambda role has them: the token must travel, and stay out of the logs.
    private static final AwsCredentialsProvider CREDENTIALS =
            StaticCredentialsProvider.create(AwsSessionCredentials.create(ACCESS_KEY, SECRET_KEY, SESSION_TOKEN));

    @TempDir
    static Path dataDir;

    private static LocalServer server;
    private static SSLContext trust;
    private static HttpClient direct;
    private static SigningRelay relay;

    @BeforeAll
    static void startServerAndRelay() throws Exception {
        server = LocalServer.start(LocalOptions.parse(new String[] {"--port=0", "--data-dir=" + dataDir}, Map.of()));
        trust = TrustedCertificate.sslContext(server.certificate());
        direct = HttpClient.newBuilder().sslContext(trust).version(HttpClient.Version.HTTP_1_1).build();
        // The relay presents the server's own certificate, so the check trusts one PEM for both.
        relay = new SigningRelay(SelfSignedCertificate.sslContext(server.certificate().getParent()),
                URI.create("https://localhost:" + server.port()), direct);
    }

    @AfterAll
    static void stop() throws Exception {
        if (relay != null) {
            relay.stop();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void noFaultsAndNoRecords() {
        relay.failWhen(request -> false);
        relay.received.clear();
    }

    @Test
    void passesAgainstTheLocalServerSigningEveryRequestForExecuteApi() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        Map<String, Object> outcome = function(relay.url(), log).handleRequest(Map.of(), new LocalContext("synthetic-check", "run-1"));

        assertEquals("passed", outcome.get("result"));
        List<String> steps = ((List<?>) outcome.get("steps")).stream().map(s -> (String) ((Map<?, ?>) s).get("step")).toList();
        assertEquals(List.of("health", "create", "read", "delete", "read-after-delete"), steps);

        List<Received> received = List.copyOf(relay.received);
        assertEquals(List.of("GET /v1/health", "POST /v1/files", "GET /v1/files/", "DELETE /v1/files/", "GET /v1/files/"),
                received.stream().map(r -> r.method() + " " + r.path().replaceAll("synthetic-check-.*$", "")).toList());
        for (Received request : received) {
            String authorization = request.authorization();
            assertTrue(authorization.startsWith("AWS4-HMAC-SHA256 Credential=" + ACCESS_KEY + "/"), authorization);
            assertTrue(authorization.contains("/" + REGION + "/execute-api/aws4_request"), authorization);
            assertEquals(SESSION_TOKEN, request.securityToken());
            assertTrue(request.signatureMatches(), "the signature must hold for the request as received: " + request);
        }
        assertNull(received.get(1).ifMatch(), "the create is not conditional");
        assertTrue(received.get(3).ifMatch() != null && !received.get(3).ifMatch().isBlank(), "the delete is conditional");

        JsonObject line = onlyLine(log);
        assertEquals("INFO", line.get("level").getAsString());
        assertEquals("passed", line.get("result").getAsString());
        assertEquals(5, line.getAsJsonArray("steps").size());
        assertTrue(line.getAsJsonArray("steps").get(0).getAsJsonObject().has("latencyMs"));
        assertNoCredentialIn(log);
        assertNoSyntheticFileLeft();
    }

    @Test
    void throwsAndLogsTheFailedStepWhenHealthAnswers500() {
        relay.failWhen(request -> request.path().equals("/v1/health"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        SyntheticCheck.Failure failure = assertThrows(SyntheticCheck.Failure.class,
                () -> function(relay.url(), log).handleRequest(Map.of(), new LocalContext("synthetic-check", "run-2")));

        assertEquals("health", failure.step());
        assertEquals(500, failure.status().orElseThrow());
        assertEquals("not needed", failure.cleanup(), "nothing was created before the health step failed");
        JsonObject line = onlyLine(log);
        assertEquals("ERROR", line.get("level").getAsString());
        assertEquals("run-2", line.get("requestId").getAsString());
        assertEquals("health", line.get("failedStep").getAsString());
        assertEquals(500, line.get("status").getAsInt());
        assertNoCredentialIn(log);
    }

    @Test
    void deletesTheFileItCreatedWhenTheReadBackFails() throws Exception {
        relay.failWhen(request -> request.method().equals("GET") && request.path().startsWith("/v1/files/"));
        ByteArrayOutputStream log = new ByteArrayOutputStream();

        SyntheticCheck.Failure failure = assertThrows(SyntheticCheck.Failure.class,
                () -> function(relay.url(), log).handleRequest(Map.of(), new LocalContext("synthetic-check", "run-3")));

        assertEquals("read", failure.step());
        assertEquals("deleted", failure.cleanup());
        assertEquals("deleted", onlyLine(log).get("cleanup").getAsString());
        assertNoSyntheticFileLeft();
    }

    @Test
    void reportsAnUnreachableApiAsAFailedHealthStepWithoutAStatus() throws Exception {
        int closedPort;
        try (var socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        // Construction makes no network call, so it succeeds with nothing listening.
        SyntheticCheckFunction function = function(URI.create("https://localhost:" + closedPort), log);

        SyntheticCheck.Failure failure = assertThrows(SyntheticCheck.Failure.class,
                () -> function.handleRequest(Map.of(), new LocalContext("synthetic-check", "run-4")));

        assertEquals("health", failure.step());
        assertTrue(failure.status().isEmpty());
        assertTrue(onlyLine(log).get("status").isJsonNull());
    }

    @Test
    void refusesABaseUrlThatIsNotHttps() {
        assertThrows(IllegalArgumentException.class,
                () -> function(URI.create("http://localhost:" + server.port()), new ByteArrayOutputStream()));
    }

    private static SyntheticCheckFunction function(URI baseUrl, ByteArrayOutputStream log) {
        return new SyntheticCheckFunction(baseUrl, CREDENTIALS, REGION, trust, new PrintStream(log, true, StandardCharsets.UTF_8));
    }

    private static JsonObject onlyLine(ByteArrayOutputStream log) {
        List<String> lines = log.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(1, lines.size(), "one log line per run: " + lines);
        JsonObject line = JsonParser.parseString(lines.getFirst()).getAsJsonObject();
        assertEquals("synthetic-check", line.get("function").getAsString());
        return line;
    }

    private static void assertNoCredentialIn(ByteArrayOutputStream log) {
        String text = log.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains(SECRET_KEY) || text.contains(SESSION_TOKEN) || text.contains("AWS4-HMAC-SHA256"), text);
    }

    /** Asked of the laptop server directly, around the relay. */
    private static void assertNoSyntheticFileLeft() throws Exception {
        HttpResponse<String> list = direct.send(HttpRequest.newBuilder(
                URI.create("https://localhost:" + server.port() + "/v1/files?prefix=" + SyntheticCheck.FILE_PREFIX)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, list.statusCode());
        assertEquals(0, JsonParser.parseString(list.body()).getAsJsonObject().getAsJsonArray("items").size(), list.body());
    }

    /** A request as the relay received it, and whether its signature holds for exactly that. */
    record Received(String method, String path, String authorization, String securityToken, String ifMatch,
                    boolean signatureMatches) {
    }

    /** Records, verifies and forwards each request; answers 500 itself for those {@link #failWhen} picks. */
    static final class SigningRelay {
        private static final Set<String> SET_BY_THE_CLIENT = Set.of("host", "content-length", "connection", "expect", "upgrade");
        private static final Set<String> SET_BY_THE_SERVER = Set.of("content-length", "transfer-encoding", "connection", "date");
        private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

        final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
        private final HttpsServer https;
        private final URI target;
        private final HttpClient forward;
        private volatile Predicate<Received> fault = request -> false;

        SigningRelay(SSLContext identity, URI target, HttpClient forward) throws IOException {
            this.target = target;
            this.forward = forward;
            https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            https.setHttpsConfigurator(new HttpsConfigurator(identity));
            https.createContext("/", this::relay);
            https.start();
        }

        URI url() {
            return URI.create("https://localhost:" + https.getAddress().getPort());
        }

        void failWhen(Predicate<Received> fault) {
            this.fault = fault;
        }

        void stop() {
            https.stop(0);
        }

        private void relay(HttpExchange exchange) throws IOException {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                Received request = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                        header(exchange, "Authorization"), header(exchange, "X-Amz-Security-Token"),
                        header(exchange, "If-Match"), signatureMatches(exchange, body));
                received.add(request);
                if (fault.test(request)) {
                    exchange.sendResponseHeaders(500, -1);
                    return;
                }
                HttpRequest.Builder forwarded = HttpRequest.newBuilder(target.resolve(exchange.getRequestURI().getRawPath()
                                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery())))
                        .method(exchange.getRequestMethod(), body.length == 0
                                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
                exchange.getRequestHeaders().forEach((name, values) -> {
                    if (!SET_BY_THE_CLIENT.contains(name.toLowerCase(Locale.ROOT))) {
                        values.forEach(value -> forwarded.header(name, value));
                    }
                });
                HttpResponse<byte[]> response;
                try {
                    response = forward.send(forwarded.build(), HttpResponse.BodyHandlers.ofByteArray());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
                response.headers().map().forEach((name, values) -> {
                    if (!SET_BY_THE_SERVER.contains(name.toLowerCase(Locale.ROOT))) {
                        exchange.getResponseHeaders().put(name, values);
                    }
                });
                byte[] answer = response.body();
                exchange.sendResponseHeaders(response.statusCode(), answer.length == 0 ? -1 : answer.length);
                exchange.getResponseBody().write(answer);
            }
        }

        /**
         * Signs the request again as received (method, path, query, the signed headers, body, at
         * its X-Amz-Date) and compares: what API Gateway does before it lets a request through.
         */
        private boolean signatureMatches(HttpExchange exchange, byte[] body) {
            String authorization = header(exchange, "Authorization");
            String amzDate = header(exchange, "X-Amz-Date");
            if (authorization == null || amzDate == null || !authorization.contains("SignedHeaders=")) {
                return false;
            }
            String signedHeaders = authorization.replaceAll(".*SignedHeaders=([^,]+).*", "$1");
            URI asReceived = URI.create("https://" + header(exchange, "Host") + exchange.getRequestURI());
            SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                    .method(SdkHttpMethod.fromValue(exchange.getRequestMethod()))
                    .uri(asReceived);
            for (String name : signedHeaders.split(";")) {
                if (!name.equals("host") && !name.equals("x-amz-date") && header(exchange, name) != null) {
                    request.putHeader(name, header(exchange, name));
                }
            }
            String expected = AwsV4HttpSigner.create().sign(r -> r
                            .identity(CREDENTIALS.resolveCredentials())
                            .request(request.build())
                            .payload(ContentStreamProvider.fromByteArray(body))
                            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                            .putProperty(AwsV4HttpSigner.REGION_NAME, REGION)
                            .putProperty(HttpSigner.SIGNING_CLOCK, Clock.fixed(Instant.from(AMZ_DATE.parse(amzDate)), ZoneOffset.UTC)))
                    .request().firstMatchingHeader("Authorization").orElse("");
            return expected.equals(authorization);
        }

        private static String header(HttpExchange exchange, String name) {
            return exchange.getRequestHeaders().getFirst(name);
        }
    }
}
