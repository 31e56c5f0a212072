package io.helloserverless.lambda.secrets;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.helloserverless.lambda.metrics.DependencyTimes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Secret values read from Secrets Manager at runtime, by ARN, kept in memory for a TTL so a warm
 * function does not call the API on every request. A caller whose use of a value was refused
 * (authentication failed) asks for {@link #refreshed} once: that is how a rotation is picked up.
 * Values are never logged, and errors never quote them.
 */
public final class Secrets {

    private final SecretsManagerApi api;
    private final Cache<String, String> values;
    private final DependencyTimes times;

    public Secrets(SecretsManagerApi api, Duration ttl) {
        this(api, ttl, new DependencyTimes());
    }

    /** The same, adding the time of each call to Secrets Manager to {@code times}. */
    public Secrets(SecretsManagerApi api, Duration ttl, DependencyTimes times) {
        this.api = Objects.requireNonNull(api, "api");
        this.values = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(16).build();
        this.times = times;
        times.uses(DependencyTimes.Dependency.SECRETS);
    }

    /**
     * Reads a made-up login through a call answered inside the JVM, signed with made-up session
     * keys: the signer, the request and answer's JSON and the login's parsing loaded before a
     * SnapStart snapshot, with nothing contacted and nothing kept.
     */
    public static void prime() {
        String arn = "arn:aws:secretsmanager:us-east-1:000000000000:secret:primed";
        String answer = "{\"ARN\":\"" + arn + "\",\"Name\":\"primed\",\"VersionId\":\"v\","
                + "\"SecretString\":\"{\\\"username\\\":\\\"primed\\\",\\\"password\\\":\\\"primed\\\"}\"}";
        SecretsManagerApi offline = new SecretsManagerApi(SecretsManagerApi.regionalEndpoint("us-east-1"), "us-east-1",
                StaticCredentialsProvider.create(AwsSessionCredentials.create("priming", "priming", "priming")),
                new OfflineHttpClient(200, Map.of("Content-Type", "application/x-amz-json-1.1"),
                        answer.getBytes(StandardCharsets.UTF_8)),
                Duration.ZERO);
        new LoginSecret(new Secrets(offline, Duration.ZERO), arn).current();
    }

    /**
     * Drops every value kept, so that none is in a SnapStart snapshot; the next use fetches it
     * again.
     */
    public void forget() {
        values.invalidateAll();
        values.cleanUp();
    }

    /** The value, from memory when fetched less than the TTL ago. */
    public String value(String secretArn) {
        return values.get(secretArn, this::fetch);
    }

    /** The value fetched anew, replacing what was kept. */
    public String refreshed(String secretArn) {
        String value = fetch(secretArn);
        values.put(secretArn, value);
        return value;
    }

    private String fetch(String secretArn) {
        return times.time(DependencyTimes.Dependency.SECRETS, () -> api.secretString(secretArn));
    }
}
