package io.helloserverless.lambda.secrets;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * A local server that answers Secrets Manager's {@code GetSecretValue} on its real wire protocol
 * (AWS JSON 1.1 over HTTP: {@code POST /} with {@code X-Amz-Target:
 * secretsmanager.GetSecretValue}), so {@link SecretsManagerApi} is exercised end to end. It counts
 * calls, and a test can change a value, as a rotation does.
 *
 * <p>As AWS does, it checks each request's SigV4 signature: it recomputes it with the SDK's signer
 * from the headers the request says it signed, its {@code X-Amz-Date} and the secret key of an
 * access key it was told of ({@link #allow}), and refuses a mismatch with 403
 * {@code InvalidSignatureException}. Any session token is accepted, but it must be signed in.
 */
public final class SecretsManagerServer implements AutoCloseable {

    /** The access key every server accepts, which {@link #client()} signs with: throwaway, not a secret. */
    public static final String ACCESS_KEY = "test-key";
    public static final String SECRET_KEY = "test-secret";

    private static final Pattern AUTHORIZATION = Pattern.compile("AWS4-HMAC-SHA256 "
            + "Credential=(?<key>[^/]+)/\\d{8}/(?<region>[^/]+)/secretsmanager/aws4_request, "
            + "SignedHeaders=(?<headers>[a-z0-9;-]+), Signature=[0-9a-f]{64}");
    private static final DateTimeFormatter AMZ_DATE = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);
    /** Signed anew by the signer from the identity and the clock, so not copied from the request. */
    private static final Set<String> SET_BY_THE_SIGNER = Set.of("host", "x-amz-date", "x-amz-security-token");

    private final HttpServer server;
    private final Map<String, String> secrets = new ConcurrentHashMap<>();
    private final Map<String, String> keys = new ConcurrentHashMap<>(Map.of(ACCESS_KEY, SECRET_KEY));
    private final AtomicInteger calls = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private volatile int failureStatus;
    private volatile String failureType;
    private final AtomicReference<String> sessionToken = new AtomicReference<>();

    private SecretsManagerServer(HttpServer server) {
        this.server = server;
    }

    public static SecretsManagerServer start() throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        SecretsManagerServer fake = new SecretsManagerServer(http);
        http.createContext("/", fake::answer);
        http.start();
        return fake;
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Accepts requests signed with this key pair too (the other is {@link #ACCESS_KEY}). */
    public SecretsManagerServer allow(String accessKey, String secretKey) {
        keys.put(accessKey, secretKey);
        return this;
    }

    /** A client of this server, signing with {@link #ACCESS_KEY}. */
    public SecretsManagerApi client() {
        return client(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY)));
    }

    /** A client of this server, signing with what {@code credentials} gives. */
    public SecretsManagerApi client(AwsCredentialsProvider credentials) {
        // a deadline no retry test reaches on a busy machine (the first signed call loads the signer on both sides)
        return new SecretsManagerApi(endpoint(), "eu-west-1", credentials, UrlConnectionHttpClient.builder().build(),
                Duration.ofSeconds(10));
    }

    /** Answers the next {@code times} requests with {@code status} and the error {@code type}, as an outage or throttling does. */
    public void failNext(int times, int status, String type) {
        failureStatus = status;
        failureType = type;
        failures.set(times);
    }

    /** The session token of the last request that had one. */
    public Optional<String> lastSessionToken() {
        return Optional.ofNullable(sessionToken.get());
    }

    public void put(String arn, String value) {
        secrets.put(arn, value);
    }

    /** The value held under {@code arn}, read here rather than over HTTP. */
    public String value(String arn) {
        return secrets.get(arn);
    }

    public int calls() {
        return calls.get();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            calls.incrementAndGet();
            String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
            byte[] sent = exchange.getRequestBody().readAllBytes();
            Optional<String> refusal = refusal(exchange, sent);
            JsonObject request = JsonParser.parseString(new String(sent, StandardCharsets.UTF_8)).getAsJsonObject();
            JsonObject response = new JsonObject();
            int status;
            String id = request.has("SecretId") ? request.get("SecretId").getAsString() : "";
            if (refusal.isPresent()) {
                status = 403;
                response.addProperty("__type", refusal.get());
                response.addProperty("message", "The request signature we calculated does not match the signature you provided.");
            } else if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                status = failureStatus;
                response.addProperty("__type", failureType);
                response.addProperty("message", "made to fail by the test; the secret " + id + " was not read");
            } else if (!"secretsmanager.GetSecretValue".equals(target)) {
                status = 400;
                response.addProperty("__type", "InvalidRequestException");
                response.addProperty("message", "only GetSecretValue is served here");
            } else if (!secrets.containsKey(id)) {
                status = 400;
                response.addProperty("__type", "ResourceNotFoundException");
                response.addProperty("message", "Secrets Manager can't find the specified secret.");
            } else {
                status = 200;
                response.addProperty("ARN", id);
                response.addProperty("Name", id.substring(id.lastIndexOf(':') + 1));
                response.addProperty("SecretString", secrets.get(id));
                response.addProperty("VersionId", "v" + calls.get());
                response.add("VersionStages", JsonParser.parseString("[\"AWSCURRENT\"]"));
                response.addProperty("CreatedDate", System.currentTimeMillis() / 1000.0);
            }
            byte[] body = response.toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.getResponseHeaders().set("x-amzn-RequestId", "local-" + calls.get());
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    /** Why the request's signature is refused ({@code __type}), if it is. */
    private Optional<String> refusal(HttpExchange exchange, byte[] body) {
        var headers = exchange.getRequestHeaders();
        String authorization = headers.getFirst("Authorization");
        String date = headers.getFirst("X-Amz-Date");
        if (authorization == null || date == null) {
            return Optional.of("MissingAuthenticationTokenException");
        }
        Matcher parts = AUTHORIZATION.matcher(authorization);
        if (!parts.matches()) {
            return Optional.of("IncompleteSignatureException");
        }
        String secretKey = keys.get(parts.group("key"));
        if (secretKey == null) {
            return Optional.of("UnrecognizedClientException");
        }
        SdkHttpRequest.Builder request = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(exchange.getRequestMethod()))
                .uri(URI.create("http://" + headers.getFirst("Host") + exchange.getRequestURI()));
        for (String name : parts.group("headers").split(";")) {
            List<String> values = headers.get(name);
            if (values == null) {
                return Optional.of("InvalidSignatureException"); // signed but not sent
            }
            if (!SET_BY_THE_SIGNER.contains(name)) {
                request.putHeader(name, values);
            }
        }
        String token = headers.getFirst("X-Amz-Security-Token");
        if (token != null) {
            sessionToken.set(token);
        }
        AwsCredentialsIdentity identity = token == null
                ? AwsCredentialsIdentity.create(parts.group("key"), secretKey)
                : AwsSessionCredentialsIdentity.create(parts.group("key"), secretKey, token);
        Clock then = Clock.fixed(AMZ_DATE.parse(date, Instant::from), ZoneOffset.UTC);
        String expected = AwsV4HttpSigner.create().sign(r -> r
                        .identity(identity)
                        .request(request.build())
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "secretsmanager")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, parts.group("region"))
                        .putProperty(HttpSigner.SIGNING_CLOCK, then))
                .request().firstMatchingHeader("Authorization").orElse("");
        return expected.equals(authorization) ? Optional.empty() : Optional.of("InvalidSignatureException");
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
