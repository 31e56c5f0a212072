package io.helloserverless.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.helloserverless.lambda.http.Json;
import io.helloserverless.lambda.http.RequestLog;
import io.helloserverless.lambda.metrics.Emf;
import io.helloserverless.lambda.synthetic.SyntheticCheck;
import java.io.PrintStream;
import java.net.URI;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Scheduled daily (requirement R6): one signed create, read and delete round and a health call
 * through the public HTTPS endpoint. A failed step is logged and thrown, so the invocation
 * errors and the alarm on this function's {@code Errors} metric fires.
 *
 * <p>No Dagger component: the function needs a URL, credentials, a region and a TLS context,
 * none of them shared with another function, so a component would only rename {@code new}.
 */
public final class SyntheticCheckFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    static final String FUNCTION = Functions.nameOf(SyntheticCheckFunction.class);

    private final SyntheticCheck check;
    private final PrintStream out;
    private final RequestLog log;

    /** As deployed: the custom domain from Terraform, the role's credentials, the JDK's trust store. */
    public SyntheticCheckFunction() {
        this(URI.create(environment("API_BASE_URL")), DefaultCredentialsProvider.builder().build(),
                environment("AWS_REGION"), defaultTls(), System.out);
    }

    public SyntheticCheckFunction(URI baseUrl, AwsCredentialsProvider credentials, String region, SSLContext tls,
                                  PrintStream out) {
        this.check = new SyntheticCheck(baseUrl, credentials, region, tls);
        this.out = out;
        this.log = new RequestLog(out);
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        long started = System.nanoTime();
        try {
            List<SyntheticCheck.Step> steps = check.run();
            Map<String, Object> outcome = Map.of("result", "passed",
                    "steps", steps.stream().map(SyntheticCheck.Step::toMap).toList());
            log.job(FUNCTION, context.getAwsRequestId(), System.nanoTime() - started, outcome,
                    List.of(Emf.Metric.count("ChecksPassed", 1)));
            return outcome;
        } catch (SyntheticCheck.Failure failure) {
            logFailure(context.getAwsRequestId(), System.nanoTime() - started, failure);
            throw failure;
        }
    }

    /** The shape of {@link RequestLog#job}, at level ERROR: the failed step, its status and the cleanup. */
    private void logFailure(String requestId, long nanos, SyntheticCheck.Failure failure) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("level", "ERROR");
        line.put("requestId", requestId);
        line.put("function", FUNCTION);
        line.put("latencyMs", nanos / 1_000_000.0);
        line.putAll(failure.logFields());
        out.println(Json.GSON.toJson(line));
    }

    private static String environment(String name) {
        return Optional.ofNullable(System.getenv(name)).filter(v -> !v.isBlank())
                .orElseThrow(() -> new IllegalStateException("environment variable " + name + " is not set"));
    }

    private static SSLContext defaultTls() {
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK offers no default TLS context", e);
        }
    }
}
