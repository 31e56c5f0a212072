package io.helloserverless.lambda.wiring;

import io.helloserverless.core.domain.ContentPolicy;
import io.helloserverless.core.usecase.CollectOrphanBlobs;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything a function is configured with, read once per execution environment. In AWS it
 * comes from environment variables Terraform sets: names, endpoints and secret ARNs, never a
 * secret value. What a function does not use may be absent; what it uses is checked when its
 * component is built. The laptop server, the tests and the benchmarks build it in code; what they
 * give in place of secrets is not configuration but {@link Overrides}.
 *
 * <p>{@code orphanGrace}: how old a blob no file points at must be before the purge removes it
 * ({@code ORPHAN_GRACE_SECONDS}, default an hour, at least {@link #MIN_ORPHAN_GRACE}: longer than
 * any write can be in flight, docs/adr/0012-orphan-collection.md).
 */
public record Config(
        String region,
        Optional<Database> database,
        Optional<Storage> storage,
        Optional<Redis> redis,
        int maxFileBytes,
        Optional<URI> secretsEndpoint,
        Optional<Webhook> webhook,
        Duration orphanGrace) {

    /** Twice what a write can be in flight: an API function's timeout (at most 28 s) and the statement timeout (2 s). */
    public static final Duration MIN_ORPHAN_GRACE = Duration.ofMinutes(1);

    public record Database(String host, int port, String name, String sslMode, Optional<String> sslRootCert,
                           Optional<String> secretArn, Optional<String> adminSecretArn) {
    }

    public record Storage(String bucket, Optional<URI> endpoint) {
    }

    /** The remote service that change events are delivered to: its HTTPS URL and the ARN of the secret holding the API key. */
    public record Webhook(URI url, Optional<String> apiKeySecretArn) {
    }

    /** {@code secretArn}: the login secret of the RBAC user ElastiCache requires; absent for a local Redis. */
    public record Redis(String host, int port, boolean tls, Optional<String> secretArn) {
    }

    public Config {
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(storage, "storage");
        Objects.requireNonNull(redis, "redis");
        Objects.requireNonNull(webhook, "webhook");
        Objects.requireNonNull(orphanGrace, "orphanGrace");
        new ContentPolicy(maxFileBytes);
        if (orphanGrace.compareTo(MIN_ORPHAN_GRACE) < 0) {
            throw new IllegalStateException("the orphan grace period must be at least " + MIN_ORPHAN_GRACE.toSeconds()
                    + " s, longer than any write can be in flight; is " + orphanGrace.toSeconds() + " s");
        }
    }

    /** A configuration with the default orphan grace period. */
    public Config(String region, Optional<Database> database, Optional<Storage> storage, Optional<Redis> redis,
                  int maxFileBytes, Optional<URI> secretsEndpoint, Optional<Webhook> webhook) {
        this(region, database, storage, redis, maxFileBytes, secretsEndpoint, webhook, CollectOrphanBlobs.DEFAULT_GRACE);
    }

    /** A configuration without a remote service for change events. */
    public Config(String region, Optional<Database> database, Optional<Storage> storage, Optional<Redis> redis,
                  int maxFileBytes, Optional<URI> secretsEndpoint) {
        this(region, database, storage, redis, maxFileBytes, secretsEndpoint, Optional.empty());
    }

    /** This configuration, delivering change events to {@code webhook}. */
    public Config withWebhook(Webhook webhook) {
        return new Config(region, database, storage, redis, maxFileBytes, secretsEndpoint, Optional.of(webhook),
                orphanGrace);
    }

    /** This configuration, removing orphan blobs once they are {@code grace} old. */
    public Config withOrphanGrace(Duration grace) {
        return new Config(region, database, storage, redis, maxFileBytes, secretsEndpoint, webhook, grace);
    }

    public static Config fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    public static Config fromEnvironment(Map<String, String> env) {
        Env e = new Env(env);
        return new Config(
                e.required("AWS_REGION"),
                e.optional("DB_HOST").map(host -> new Database(
                        host,
                        e.integer("DB_PORT", 5432),
                        e.required("DB_NAME"),
                        e.optional("DB_SSLMODE").orElse("verify-full"),
                        e.optional("DB_SSLROOTCERT"),
                        e.optional("DB_SECRET_ARN"),
                        e.optional("DB_ADMIN_SECRET_ARN"))),
                e.optional("BUCKET_NAME").map(bucket -> new Storage(bucket, e.optional("S3_ENDPOINT").map(URI::create))),
                e.optional("REDIS_HOST").map(host -> new Redis(
                        host,
                        e.integer("REDIS_PORT", 6379),
                        Boolean.parseBoolean(e.optional("REDIS_TLS").orElse("true")),
                        e.optional("REDIS_SECRET_ARN"))),
                e.integer("MAX_FILE_BYTES", ContentPolicy.DEFAULT_MAX_BYTES),
                // The SDK's own variable too: no SDK client reads it for us any more (ADR 0017).
                e.optional("SECRETS_ENDPOINT").or(() -> e.optional("AWS_ENDPOINT_URL_SECRETS_MANAGER")).map(URI::create),
                e.optional("WEBHOOK_URL").map(url -> new Webhook(URI.create(url), e.optional("API_KEY_SECRET_ARN"))),
                Duration.ofSeconds(e.integer("ORPHAN_GRACE_SECONDS", (int) CollectOrphanBlobs.DEFAULT_GRACE.toSeconds())));
    }

    /** The database settings, which a function that uses the database cannot do without. */
    public Database requireDatabase() {
        return database.orElseThrow(() -> new IllegalStateException("environment variable DB_HOST is not set"));
    }

    public Storage requireStorage() {
        return storage.orElseThrow(() -> new IllegalStateException("environment variable BUCKET_NAME is not set"));
    }

    public Webhook requireWebhook() {
        return webhook.orElseThrow(() -> new IllegalStateException("environment variable WEBHOOK_URL is not set"));
    }

    public ContentPolicy contentPolicy() {
        return new ContentPolicy(maxFileBytes);
    }

    private record Env(Map<String, String> env) {
        Optional<String> optional(String name) {
            return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
        }

        String required(String name) {
            return optional(name).orElseThrow(() -> new IllegalStateException("environment variable " + name + " is not set"));
        }

        int integer(String name, int fallback) {
            return optional(name).map(v -> {
                try {
                    return Integer.parseInt(v);
                } catch (NumberFormatException ex) {
                    throw new IllegalStateException("environment variable " + name + " is not a number", ex);
                }
            }).orElse(fallback);
        }
    }
}
