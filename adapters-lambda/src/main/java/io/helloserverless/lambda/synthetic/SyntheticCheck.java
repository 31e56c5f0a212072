package io.helloserverless.lambda.synthetic;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;

/**
 * One round trip through the public API, as a read-write consumer would make it: health, create,
 * read back, conditional delete, confirm gone. A failed step ends the round with a
 * {@link Failure}, after a best-effort delete of the file it may have left behind. What it
 * reports is statuses, step names and exception classes, never a header or a credential.
 */
public final class SyntheticCheck {

    public static final String FILE_PREFIX = "synthetic-check-";

    /** The health statuses that mean "serving": a cache outage degrades, it does not fail. */
    private static final Set<String> SERVING = Set.of("ok", "degraded");

    public record Step(String name, int status, double latencyMs) {
        public Map<String, Object> toMap() {
            Map<String, Object> map = new LinkedHashMap<>();
            map.put("step", name);
            map.put("status", status);
            map.put("latencyMs", latencyMs);
            return map;
        }
    }

    /** Why the round failed; its message is safe to log (no header, body or credential in it). */
    public static final class Failure extends RuntimeException {
        private final String step;
        private final Integer status;
        private final String reason;
        private final String file;
        private final String cleanup;
        private final List<Step> passed;

        Failure(String step, Integer status, String reason, String file, String cleanup, List<Step> passed) {
            super("synthetic check failed at step " + step + ": " + reason + " (cleanup: " + cleanup + ")");
            this.step = step;
            this.status = status;
            this.reason = reason;
            this.file = file;
            this.cleanup = cleanup;
            this.passed = List.copyOf(passed);
        }

        public String step() {
            return step;
        }

        /** The HTTP status of the failed step, absent when no response came. */
        public Optional<Integer> status() {
            return Optional.ofNullable(status);
        }

        public String cleanup() {
            return cleanup;
        }

        public Map<String, Object> logFields() {
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("result", "failed");
            fields.put("failedStep", step);
            fields.put("status", status);
            fields.put("reason", reason);
            fields.put("file", file);
            fields.put("cleanup", cleanup);
            fields.put("passedSteps", passed.stream().map(Step::toMap).toList());
            return fields;
        }
    }

    /**
     * At most six calls per round (five steps and a cleanup) of at most 3 s to connect plus 8 s to
     * answer stay inside the function's 60 s timeout, so a hung API fails the check with a named
     * step instead of a Lambda timeout.
     */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(8);

    private final SignedApi api;

    /** Makes no network call: the client connects on the first request of a round. */
    public SyntheticCheck(URI baseUrl, AwsCredentialsProvider credentials, String region, SSLContext tls) {
        if (!"https".equalsIgnoreCase(baseUrl.getScheme())) {
            throw new IllegalArgumentException("the API base URL must be https, got scheme " + baseUrl.getScheme());
        }
        SSLParameters parameters = tls.getDefaultSSLParameters();
        parameters.setProtocols(new String[] {"TLSv1.3", "TLSv1.2"});
        HttpClient http = HttpClient.newBuilder()
                .sslContext(tls)
                .sslParameters(parameters)
                // HTTP/1.1 sends the Host header the signature covers, byte for byte.
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        String base = baseUrl.toString();
        this.api = new SignedApi(URI.create(base.endsWith("/") ? base.substring(0, base.length() - 1) : base),
                credentials, region, http, REQUEST_TIMEOUT);
    }

    /** Runs one round; returns its steps, or throws {@link Failure} naming the first that failed. */
    public List<Step> run() {
        return new Round().run();
    }

    /** The state of one round: the file it made and how far it got. */
    private final class Round {
        private final String name = FILE_PREFIX + UUID.randomUUID() + ".txt";
        private final String path = "/v1/files/" + name;
        private final byte[] content = ("hello-serverless synthetic check " + Instant.now() + "\n")
                .getBytes(StandardCharsets.UTF_8);
        private final List<Step> steps = new ArrayList<>();
        private boolean fileMayExist;

        List<Step> run() {
            try {
                SignedApi.Response health = call("health", "GET", "/v1/health", Map.of(), 200);
                if (!SERVING.contains(healthStatus(health.body()))) {
                    throw new StepFailed("health", health.status(), "health status is neither ok nor degraded");
                }

                // From here on the file may exist even if the create seems to fail (a timeout after the commit).
                fileMayExist = true;
                SignedApi.Response created = call("create", "POST", "/v1/files?name=" + name,
                        Map.of("Content-Type", "text/plain; charset=utf-8"), 201, content);
                String etag = created.etag().filter(e -> !e.isBlank())
                        .orElseThrow(() -> new StepFailed("create", created.status(), "no ETag in the response"));

                SignedApi.Response read = call("read", "GET", path, Map.of(), 200);
                if (!Arrays.equals(read.body(), content)) {
                    throw new StepFailed("read", read.status(), "the body read back differs from the one written");
                }
                if (!read.etag().equals(Optional.of(etag))) {
                    throw new StepFailed("read", read.status(), "the ETag read back differs from the one created");
                }

                call("delete", "DELETE", path, Map.of("If-Match", etag), 204);
                fileMayExist = false;

                call("read-after-delete", "GET", path, Map.of(), 404);
                return List.copyOf(steps);
            } catch (StepFailed failed) {
                throw new Failure(failed.step, failed.status, failed.getMessage(), name, cleanUp(), steps);
            }
        }

        private SignedApi.Response call(String step, String method, String target, Map<String, String> headers,
                                        int expected) {
            return call(step, method, target, headers, expected, new byte[0]);
        }

        private SignedApi.Response call(String step, String method, String target, Map<String, String> headers,
                                        int expected, byte[] body) {
            long started = System.nanoTime();
            SignedApi.Response response = exchange(step, method, target, headers, body);
            if (response.status() != expected) {
                throw new StepFailed(step, response.status(), "expected " + expected + ", got " + response.status());
            }
            steps.add(new Step(step, response.status(), (System.nanoTime() - started) / 1_000_000.0));
            return response;
        }

        /** Deletes without a condition: whatever version is there is ours. A 404 means nothing was left. */
        private String cleanUp() {
            if (!fileMayExist) {
                return "not needed";
            }
            try {
                int status = exchange("cleanup", "DELETE", path, Map.of(), new byte[0]).status();
                return switch (status) {
                    case 204 -> "deleted";
                    case 404 -> "nothing to delete";
                    default -> "failed with " + status;
                };
            } catch (StepFailed failed) {
                return "failed: " + failed.getMessage();
            }
        }

        private SignedApi.Response exchange(String step, String method, String target, Map<String, String> headers,
                                            byte[] body) {
            try {
                return api.send(method, target, headers, body);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StepFailed(step, null, "interrupted");
            } catch (IOException | RuntimeException e) {
                // The class alone: messages of library exceptions can quote URLs or headers.
                throw new StepFailed(step, null, "no response: " + e.getClass().getName());
            }
        }
    }

    private static String healthStatus(byte[] body) {
        try {
            JsonElement json = JsonParser.parseString(new String(body, StandardCharsets.UTF_8));
            JsonElement status = json.isJsonObject() ? json.getAsJsonObject().get("status") : null;
            return status != null && status.isJsonPrimitive() ? status.getAsString() : "";
        } catch (JsonParseException e) {
            return "";
        }
    }

    /** A step that did not get what it expected; turned into a {@link Failure} once cleanup ran. */
    private static final class StepFailed extends RuntimeException {
        private final String step;
        private final Integer status;

        StepFailed(String step, Integer status, String reason) {
            super(reason, null, false, false);
            this.step = step;
            this.status = status;
        }
    }
}
