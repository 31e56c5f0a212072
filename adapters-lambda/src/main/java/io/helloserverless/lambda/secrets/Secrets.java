package io.helloserverless.lambda.secrets;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.lambda.metrics.DependencyTimes;
import java.time.Duration;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueRequest;

/**
 * Secret values read from Secrets Manager at runtime, by ARN, kept in memory for a TTL so a warm
 * function does not call the API on every request. A caller whose use of a value was refused
 * (authentication failed) asks for {@link #refreshed} once: that is how a rotation is picked up.
 * Values are never logged, and errors never quote them.
 */
public final class Secrets {

    private final SecretsManagerClient client;
    private final Cache<String, String> values;
    private final DependencyTimes times;

    public Secrets(SecretsManagerClient client, Duration ttl) {
        this(client, ttl, new DependencyTimes());
    }

    /** The same, adding the time of each call to Secrets Manager to {@code times}. */
    public Secrets(SecretsManagerClient client, Duration ttl, DependencyTimes times) {
        this.client = Objects.requireNonNull(client, "client");
        this.values = Caffeine.newBuilder().expireAfterWrite(ttl).maximumSize(16).build();
        this.times = times;
        times.uses(DependencyTimes.Dependency.SECRETS);
    }

    /**
     * Reads a made-up login through a client from {@code builder} that is answered inside the JVM
     * (signing with made-up keys): the SDK's request path, the JSON protocol and the login's
     * parsing loaded before a SnapStart snapshot, with nothing contacted and nothing kept.
     */
    public static void prime(SecretsManagerClientBuilder builder) {
        String arn = "arn:aws:secretsmanager:us-east-1:000000000000:secret:primed";
        String answer = "{\"ARN\":\"" + arn + "\",\"Name\":\"primed\",\"VersionId\":\"v\","
                + "\"SecretString\":\"{\\\"username\\\":\\\"primed\\\",\\\"password\\\":\\\"primed\\\"}\"}";
        try (SecretsManagerClient offline = builder
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")))
                .httpClient(new OfflineHttpClient(200, java.util.Map.of("Content-Type", "application/x-amz-json-1.1"),
                        answer.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .build()) {
            new LoginSecret(new Secrets(offline, Duration.ZERO), arn).current();
        }
    }

    /**
     * Drops every value kept, so that none is in a SnapStart snapshot; the next use fetches it
     * again.
     */
    public void forget() {
        values.invalidateAll();
        values.cleanUp();
    }

    /** How many values are kept now. */
    public long held() {
        values.cleanUp();
        return values.estimatedSize();
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
        return times.time(DependencyTimes.Dependency.SECRETS, () -> call(secretArn));
    }

    private String call(String secretArn) {
        try {
            String value = client.getSecretValue(GetSecretValueRequest.builder().secretId(secretArn).build()).secretString();
            if (value == null) {
                throw new DependencyFailureException("secrets", "the secret has no string value");
            }
            return value;
        } catch (SdkException e) {
            // The SDK's message names the secret and the error code, never the value.
            throw new DependencyFailureException("secrets", "could not read a secret: " + e.getClass().getSimpleName(), e);
        }
    }
}
