package io.helloserverless.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import io.helloserverless.adapters.postgres.DatabaseMigrator;
import io.helloserverless.adapters.postgres.PostgresCredentials;
import io.helloserverless.adapters.postgres.PostgresSettings;
import io.helloserverless.adapters.redis.CacheSettings;
import io.helloserverless.adapters.s3.S3BlobStore;
import io.helloserverless.adapters.s3.S3BlobStoreSettings;
import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.embedded.s3.EmbeddedS3;
import io.helloserverless.lambda.secrets.SecretsManagerServer;
import io.helloserverless.lambda.http.RequestLog;
import io.helloserverless.lambda.secrets.LoginSource;
import io.helloserverless.lambda.wiring.Config;
import io.helloserverless.lambda.wiring.Overrides;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Real servers for the functions: the machine's PostgreSQL (a fresh database, migrated, the
 * functions connecting as the runtime role whose credentials a Secrets Manager server hands
 * out), the machine's Redis (this namespace emptied first), an S3-compatible server in-process.
 * A server that is not there fails the test; nothing is skipped.
 */
final class TestEnvironment implements AutoCloseable {

    static final String DATABASE = "hello_serverless_lambda_it";
    static final String RUNTIME_ROLE = "hs_lambda_it_runtime";
    static final String DB_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:hs-db-runtime-AbCdEf";
    static final String BUCKET = "hello-serverless-it";
    // Signing keys of throwaway local servers, not secrets.
    static final LoginSource.Login LOCAL_KEYS = new LoginSource.Login("local-access-key", "local-secret-key");

    private final EmbeddedS3 s3;
    private final Path s3Folder;
    private final SecretsManagerServer secrets;
    final Config config;

    private TestEnvironment(EmbeddedS3 s3, Path s3Folder, SecretsManagerServer secrets, Config config) {
        this.s3 = s3;
        this.s3Folder = s3Folder;
        this.secrets = secrets;
        this.config = config;
    }

    /** The bucket of the functions, written to directly (as a failed write would have left a blob). */
    S3BlobStore bucket() {
        return S3BlobStore.create(S3BlobStoreSettings.forBucket(BUCKET, config.region()).withLocalEndpoint(s3.endpoint()),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(LOCAL_KEYS.user(), LOCAL_KEYS.password())));
    }

    /** Makes a blob look {@code age} old: the embedded server gives a file's modification time as its LastModified. */
    void backdate(BlobKey key, Duration age) throws java.io.IOException {
        Files.setLastModifiedTime(s3Folder.resolve(BUCKET).resolve(key.value()),
                FileTime.from(java.time.Instant.now().minus(age)));
    }

    static TestEnvironment start() throws Exception {
        Map<String, String> env = System.getenv();
        String pgHost = env.getOrDefault("PGHOST", "127.0.0.1");
        int pgPort = Integer.parseInt(env.getOrDefault("PGPORT", "5432"));
        String pgUser = env.getOrDefault("PGUSER", "postgres");
        String pgPassword = env.getOrDefault("PGPASSWORD", "");
        recreateDatabase(pgHost, pgPort, pgUser, pgPassword);
        String runtimePassword = UUID.randomUUID().toString();
        PostgresSettings settings = PostgresSettings.of(pgHost, pgPort, DATABASE)
                .withSsl(PostgresSettings.SslMode.DISABLE, Optional.empty());
        new DatabaseMigrator(settings, PostgresCredentials.fixed(new PostgresCredentials.Credentials(pgUser, pgPassword)))
                .migrate(RUNTIME_ROLE, runtimePassword);

        String redisHost = env.getOrDefault("REDIS_HOST", "127.0.0.1");
        int redisPort = Integer.parseInt(env.getOrDefault("REDIS_PORT", "6379"));
        emptyCacheNamespace(redisHost, redisPort);

        SecretsManagerServer secrets = SecretsManagerServer.start().allow(LOCAL_KEYS.user(), LOCAL_KEYS.password());
        secrets.put(DB_SECRET_ARN, "{\"username\":\"" + RUNTIME_ROLE + "\",\"password\":\"" + runtimePassword + "\"}");
        Path s3Folder = Files.createTempDirectory("hs-lambda-it-s3");
        EmbeddedS3 s3 = EmbeddedS3.start(s3Folder, BUCKET, LOCAL_KEYS.user(), LOCAL_KEYS.password());

        Config config = new Config("eu-west-1",
                Optional.of(new Config.Database(pgHost, pgPort, DATABASE, "disable", Optional.empty(),
                        Optional.of(DB_SECRET_ARN), Optional.empty())),
                Optional.of(new Config.Storage(BUCKET, Optional.of(s3.endpoint()))),
                Optional.of(new Config.Redis(redisHost, redisPort, false, Optional.empty())),
                1024 * 1024,
                Optional.of(secrets.endpoint()));
        return new TestEnvironment(s3, s3Folder, secrets, config);
    }

    /** Signing with the local servers' keys; the database login comes from the secrets server, as in AWS. */
    static final Overrides OVERRIDES = Overrides.none().withAwsKeys(LOCAL_KEYS);

    /** How the tests build a function: this configuration, {@link #OVERRIDES}, no warm-up. */
    Setup setup(RequestLog log) {
        return Setup.of(config, OVERRIDES, log);
    }

    SecretsManagerServer secrets() {
        return secrets;
    }

    /** The Lambda context of one invocation: only the request id matters to the handlers. */
    static Context context() {
        String id = UUID.randomUUID().toString();
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getAwsRequestId" -> id;
                    case "getRemainingTimeInMillis" -> 10_000;
                    default -> null;
                });
    }

    private static void recreateDatabase(String host, int port, String user, String password) throws Exception {
        try (Connection admin = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/postgres", user, password);
             Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE);
            statement.execute("CREATE DATABASE " + DATABASE);
        }
    }

    private static void emptyCacheNamespace(String host, int port) {
        RedisClient client = RedisClient.create("redis://" + host + ":" + port);
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            var keys = connection.sync().keys(CacheSettings.defaults().namespace() + "*");
            if (!keys.isEmpty()) {
                connection.sync().del(keys.toArray(String[]::new));
            }
        } finally {
            client.shutdown();
        }
    }

    @Override
    public void close() throws Exception {
        secrets.close();
        s3.close();
    }
}
