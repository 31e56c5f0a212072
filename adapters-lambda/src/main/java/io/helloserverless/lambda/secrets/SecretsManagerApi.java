package io.helloserverless.lambda.secrets;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.lambda.http.SigV4;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Secrets Manager's {@code GetSecretValue}, the one operation the functions use, as one signed
 * HTTP request (AWS JSON 1.1: {@code POST /}, {@code X-Amz-Target: secretsmanager.GetSecretValue},
 * {@code {"SecretId": ARN}}), built from the AWS SDK's own parts: its SigV4 signer, a credentials
 * provider and an HTTP client. The SDK's service client did the same through about 250 classes
 * (its JSON protocol, endpoint rules, interceptors), which a cold start loaded before the database
 * login could be read, and so before PostgreSQL could be connected to.
 *
 * <p>Retries, as the SDK's standard mode did: at most {@value #ATTEMPTS} attempts, again after an
 * I/O error other than a timeout, a 5xx answer or throttling, with a random wait of up to
 * 100 ms doubled on each retry, and none started once {@code deadline} has passed since the first.
 * A timeout is not retried: it has already spent the time one call is given. A refusal (bad
 * signature, no permission, no such secret) is not retried either: it would be refused again.
 *
 * <p>An error names the error type of the answer ({@code __type}), never its body, which may
 * name the secret, and never the value.
 */
public final class SecretsManagerApi {

    static final int ATTEMPTS = 3;
    private static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    /** What an error type may be when it is quoted: an identifier, so nothing else from the answer leaks. */
    private static final Pattern ERROR_TYPE = Pattern.compile("[A-Za-z][A-Za-z0-9.]{0,63}");

    private final URI endpoint;
    private final SigV4 signer;
    private final SdkHttpClient http;
    private final Duration deadline;

    /**
     * @param endpoint    Secrets Manager's endpoint, {@link #regionalEndpoint} in AWS
     * @param credentials asked on every call, not here: the role's keys rotate, and none may be
     *                    resolved before a SnapStart snapshot
     * @param deadline    after which since the first attempt no other is started
     */
    public SecretsManagerApi(URI endpoint, String region, AwsCredentialsProvider credentials, SdkHttpClient http,
                             Duration deadline) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.signer = new SigV4(Objects.requireNonNull(credentials, "credentials"), "secretsmanager",
                Objects.requireNonNull(region, "region"));
        this.http = Objects.requireNonNull(http, "http");
        this.deadline = Objects.requireNonNull(deadline, "deadline");
    }

    /** Secrets Manager's public endpoint in {@code region} (China's partition has its own domain). */
    public static URI regionalEndpoint(String region) {
        return URI.create("https://secretsmanager." + region + (region.startsWith("cn-") ? ".amazonaws.com.cn" : ".amazonaws.com"));
    }

    /** The secret's string value ({@code SecretString}). */
    public String secretString(String secretArn) {
        JsonObject body = new JsonObject();
        body.addProperty("SecretId", secretArn);
        byte[] request = body.toString().getBytes(StandardCharsets.UTF_8);
        long start = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            Answer answer = attempt(request);
            if (answer.status() / 100 == 2) {
                return value(answer.body());
            }
            Duration backoff = backoff(attempt);
            boolean again = answer.retryable() && attempt < ATTEMPTS
                    && Duration.ofNanos(System.nanoTime() - start).plus(backoff).compareTo(deadline) < 0;
            if (!again) {
                throw new DependencyFailureException("secrets", "could not read a secret: " + answer.error());
            }
            sleep(backoff);
        }
    }

    /** One answer: the status and body, or for an I/O failure status 0 and what kind of failure it was. */
    private record Answer(int status, byte[] body, String error, boolean retryable) {
    }

    private Answer attempt(byte[] body) {
        SdkHttpRequest unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(endpoint.resolve("/"))
                .putHeader("Content-Type", "application/x-amz-json-1.1")
                .putHeader("X-Amz-Target", "secretsmanager.GetSecretValue")
                .putHeader("Content-Length", Integer.toString(body.length))
                .build();
        try {
            SignedRequest signed = signer.sign(unsigned, body);
            HttpExecuteResponse response = http.prepareRequest(HttpExecuteRequest.builder()
                    .request(signed.request())
                    .contentStreamProvider(signed.payload().orElse(null))
                    .build()).call();
            byte[] answer;
            try (InputStream in = response.responseBody().map(InputStream.class::cast).orElse(InputStream.nullInputStream())) {
                answer = in.readAllBytes();
            }
            int status = response.httpResponse().statusCode();
            if (status / 100 == 2) {
                return new Answer(status, answer, null, false);
            }
            String type = errorType(answer, response.httpResponse().firstMatchingHeader("x-amzn-ErrorType"), status);
            boolean throttled = status == 429 || type.contains("Throttl") || type.equals("TooManyRequestsException");
            return new Answer(status, answer, type, status >= 500 || throttled);
        } catch (SocketTimeoutException e) {
            return new Answer(0, new byte[0], "timed out", false);
        } catch (IOException e) {
            return new Answer(0, new byte[0], e.getClass().getSimpleName(), true);
        } catch (RuntimeException e) {
            // No credentials found, say: the SDK's exception names the cause, never a key.
            throw new DependencyFailureException("secrets", "could not read a secret: " + e.getClass().getSimpleName(), e);
        }
    }

    /** The answer's error type: {@code __type} (or the header) after any namespace ({@code ...#Type}). */
    private static String errorType(byte[] body, Optional<String> header, int status) {
        String type = header.orElse(null);
        try {
            JsonElement parsed = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
            if (parsed.isJsonObject() && parsed.getAsJsonObject().has("__type")) {
                type = parsed.getAsJsonObject().get("__type").getAsString();
            }
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            // Not JSON: the header or the status says what it was.
        }
        if (type != null) {
            type = type.substring(type.lastIndexOf('#') + 1);
            int colon = type.indexOf(':');
            type = colon < 0 ? type : type.substring(0, colon);
        }
        return type != null && ERROR_TYPE.matcher(type).matches() ? type : "HTTP " + status;
    }

    private static String value(byte[] body) {
        try {
            JsonElement value = JsonParser.parseString(new String(body, StandardCharsets.UTF_8))
                    .getAsJsonObject().get("SecretString");
            if (value == null || value.isJsonNull()) {
                throw new DependencyFailureException("secrets", "the secret has no string value");
            }
            return value.getAsString();
        } catch (JsonParseException | IllegalStateException | UnsupportedOperationException e) {
            // Never the parser's exception: its message may quote the answer, and so the value.
            throw new DependencyFailureException("secrets", "could not read a secret: the answer is not GetSecretValue's JSON");
        }
    }

    /** Full jitter, as the SDK's standard mode: a random wait up to 100 ms, 200 ms, ... */
    private static Duration backoff(int attempt) {
        long ceiling = FIRST_BACKOFF.toMillis() << (attempt - 1);
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling + 1));
    }

    private static void sleep(Duration backoff) {
        try {
            Thread.sleep(backoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DependencyFailureException("secrets", "interrupted while reading a secret");
        }
    }
}
