package io.helloserverless.benchmarks;

import io.helloserverless.adapters.postgres.DatabaseMigrator;
import io.helloserverless.adapters.postgres.PostgresCredentials;
import io.helloserverless.adapters.postgres.PostgresSettings;
import io.helloserverless.adapters.redis.CacheSettings;
import io.helloserverless.embedded.s3.EmbeddedS3;
import io.helloserverless.lambda.secrets.SecretsManagerServer;
import io.helloserverless.lambda.Setup;
import io.helloserverless.lambda.http.RequestLog;
import io.helloserverless.lambda.secrets.LoginSource.Login;
import io.helloserverless.lambda.wiring.Config;
import io.helloserverless.lambda.wiring.Overrides;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The servers every measurement runs against: the machine's PostgreSQL (a database of its own,
 * migrated, used as the runtime role whose login a Secrets Manager server hands out), the
 * machine's Redis (the cache namespace emptied), an S3-compatible server and the Secrets Manager
 * server in this process. A server that is not there fails the run.
 */
final class BenchEnvironment implements AutoCloseable {

    static final String DATABASE = "hello_serverless_bench";
    static final String RUNTIME_ROLE = "hs_bench_runtime";
    static final String REGION = "eu-west-1";
    static final String DB_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:hs-bench-runtime-AbCdEf";
    static final String DB_ADMIN_SECRET_ARN = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:hs-bench-admin-AbCdEf";
    static final String BUCKET = "hello-serverless-bench";
    static final String NAMESPACE = CacheSettings.defaults().namespace();
    // Signing keys of throwaway local servers, not secrets.
    static final Login LOCAL_KEYS = new Login("bench-access-key", "bench-secret-key");

    final String pgHost;
    final int pgPort;
    final String pgUser;
    final String pgPassword;
    final String redisHost;
    final int redisPort;
    final String runtimePassword = UUID.randomUUID().toString();
    final EmbeddedS3 s3;
    final SecretsManagerServer secrets;
    final RedisClient redis;
    final StatefulRedisConnection<String, String> redisConnection;

    private BenchEnvironment(Map<String, String> env) throws Exception {
        pgHost = env.getOrDefault("PGHOST", "127.0.0.1");
        pgPort = Integer.parseInt(env.getOrDefault("PGPORT", "5432"));
        pgUser = env.getOrDefault("PGUSER", "postgres");
        pgPassword = env.getOrDefault("PGPASSWORD", "");
        redisHost = env.getOrDefault("REDIS_HOST", "127.0.0.1");
        redisPort = Integer.parseInt(env.getOrDefault("REDIS_PORT", "6379"));

        recreateDatabase(DATABASE);
        new DatabaseMigrator(settings(), PostgresCredentials.fixed(new PostgresCredentials.Credentials(pgUser, pgPassword)))
                .migrate(RUNTIME_ROLE, runtimePassword);
        redis = RedisClient.create("redis://" + redisHost + ":" + redisPort);
        redisConnection = redis.connect();
        emptyCache();

        secrets = SecretsManagerServer.start().allow(LOCAL_KEYS.user(), LOCAL_KEYS.password());
        secrets.put(DB_SECRET_ARN, login(RUNTIME_ROLE, runtimePassword));
        // Trust authentication on this machine: the owner's password is whatever PGPASSWORD says.
        secrets.put(DB_ADMIN_SECRET_ARN, login(pgUser, pgPassword.isEmpty() ? "trust" : pgPassword));
        s3 = EmbeddedS3.start(Files.createTempDirectory("hs-bench-s3"), BUCKET, LOCAL_KEYS.user(), LOCAL_KEYS.password());
    }

    static BenchEnvironment start() throws Exception {
        return new BenchEnvironment(System.getenv());
    }

    PostgresSettings settings() {
        return PostgresSettings.of(pgHost, pgPort, DATABASE).withSsl(PostgresSettings.SslMode.DISABLE, Optional.empty());
    }

    /** The configuration the in-process handlers get, as the laptop server and the tests build it. */
    Config config() {
        return new Config(REGION,
                Optional.of(new Config.Database(pgHost, pgPort, DATABASE, "disable", Optional.empty(),
                        Optional.of(DB_SECRET_ARN), Optional.of(DB_ADMIN_SECRET_ARN))),
                Optional.of(new Config.Storage(BUCKET, Optional.of(s3.endpoint()))),
                Optional.of(new Config.Redis(redisHost, redisPort, false, Optional.empty())),
                1024 * 1024,
                Optional.of(secrets.endpoint()));
    }

    /** How the in-process handlers are built: {@link #config()}, signing with the local keys, logins from the secrets server. */
    Setup setup(RequestLog log) {
        return Setup.of(config(), Overrides.none().withAwsKeys(LOCAL_KEYS), log);
    }

    /** The environment variables a function gets in AWS, pointing at these servers; AWS keys for the SDK's default chain. */
    Map<String, String> functionEnvironment() {
        Map<String, String> env = new HashMap<>();
        env.put("AWS_REGION", REGION);
        env.put("DB_HOST", pgHost);
        env.put("DB_PORT", Integer.toString(pgPort));
        env.put("DB_NAME", DATABASE);
        env.put("DB_SSLMODE", "disable");
        env.put("DB_SECRET_ARN", DB_SECRET_ARN);
        env.put("DB_ADMIN_SECRET_ARN", DB_ADMIN_SECRET_ARN);
        env.put("BUCKET_NAME", BUCKET);
        env.put("S3_ENDPOINT", s3.endpoint().toString());
        env.put("REDIS_HOST", redisHost);
        env.put("REDIS_PORT", Integer.toString(redisPort));
        env.put("REDIS_TLS", "false");
        env.put("SECRETS_ENDPOINT", secrets.endpoint().toString());
        env.put("AWS_ACCESS_KEY_ID", LOCAL_KEYS.user());
        env.put("AWS_SECRET_ACCESS_KEY", LOCAL_KEYS.password());
        return env;
    }

    Connection ownerConnection(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + database, pgUser, pgPassword);
    }

    Connection runtimeConnection() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://" + pgHost + ":" + pgPort + "/" + DATABASE, RUNTIME_ROLE, runtimePassword);
    }

    void recreateDatabase(String name) throws SQLException {
        try (Connection admin = ownerConnection("postgres"); Statement statement = admin.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            statement.execute("CREATE DATABASE " + name);
        }
    }

    void emptyCache() {
        var keys = redisConnection.sync().keys(NAMESPACE + "*");
        if (!keys.isEmpty()) {
            redisConnection.sync().del(keys.toArray(String[]::new));
        }
    }

    private static String login(String user, String password) {
        return "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
    }

    @Override
    public void close() throws Exception {
        redisConnection.close();
        redis.shutdown();
        secrets.close();
        s3.close();
    }
}
