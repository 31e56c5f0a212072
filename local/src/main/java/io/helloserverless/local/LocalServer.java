package io.helloserverless.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.helloserverless.adapters.postgres.DatabaseMigrator;
import io.helloserverless.adapters.postgres.PostgresCredentials;
import io.helloserverless.adapters.postgres.PostgresSettings;
import io.helloserverless.embedded.s3.EmbeddedS3;
import io.helloserverless.lambda.CreateFileFunction;
import io.helloserverless.lambda.DeleteFileFunction;
import io.helloserverless.lambda.DispatchEventsFunction;
import io.helloserverless.lambda.HealthFunction;
import io.helloserverless.lambda.ListFilesFunction;
import io.helloserverless.lambda.PurgeExpiredFunction;
import io.helloserverless.lambda.ReadFileFunction;
import io.helloserverless.lambda.UpdateFileFunction;
import io.helloserverless.lambda.http.ApiHandler;
import io.helloserverless.lambda.http.RequestLog;
import io.helloserverless.lambda.wiring.Config;
import io.helloserverless.lambda.wiring.Resources;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.SSLContext;

/**
 * {@code https://localhost:8443} on a laptop: embedded PostgreSQL and S3-compatible store (or
 * external ones), the in-process cache (or Redis), and the very handlers deployed to Lambda.
 */
public final class LocalServer implements AutoCloseable {

    static final String RUNTIME_ROLE = "hs_runtime";
    static final String[] PROTOCOLS = {"TLSv1.3", "TLSv1.2"};
    /** The purge's first run after start, and the time between runs. */
    static final Duration PURGE_DELAY = Duration.ofSeconds(5);
    static final Duration PURGE_EVERY = Duration.ofHours(1);

    private final Resources resources = new Resources();
    private HttpsFront server;
    private Path certificate;

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        LocalOptions options;
        try {
            options = LocalOptions.parse(args, System.getenv());
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage().isEmpty() ? LocalOptions.USAGE : e.getMessage() + "\n" + LocalOptions.USAGE);
            System.exit(2);
            return;
        }
        LocalServer server = start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(server::closeQuietly, "shutdown"));
        long millis = (System.nanoTime() - started) / 1_000_000;
        String url = "https://localhost:" + server.port();
        System.err.printf("""
                hello-serverless is serving %s (ready in %d ms; data in %s; Ctrl-C stops it)
                  API reference (try the requests there): %s/
                  curl --cacert %s -X POST '%s/v1/files?name=hello.txt' -H 'Content-Type: text/plain' --data-binary 'Hello, world'
                  curl --cacert %s %s/v1/files/hello.txt
                """, url, millis, options.dataDir().toAbsolutePath(), url, server.certificate, url, server.certificate, url);
    }

    /** Starts everything the options ask for; {@link #close()} stops it in reverse order. */
    public static LocalServer start(LocalOptions options) throws Exception {
        LocalServer local = new LocalServer();
        try {
            local.startAll(options);
            return local;
        } catch (Exception e) {
            local.closeQuietly();
            throw e;
        }
    }

    private void startAll(LocalOptions options) throws Exception {
        Path data = options.dataDir().toAbsolutePath();
        String runtimePassword = runtimePassword(options.postgresPassword());
        Duration timeout = Duration.ofSeconds(options.requestTimeoutSeconds());
        // The front's set-up runs while the databases start; it listens once the functions can serve.
        CompletableFuture<HttpsFront> front = CompletableFuture.supplyAsync(() -> prepareFront(options, data, timeout),
                runnable -> Thread.ofPlatform().daemon().name("https-front").start(runnable));

        Config.Database database = startDatabase(options, data, runtimePassword);
        Config.Storage storage;
        String s3AccessKey;
        String s3SecretKey;
        if (options.s3().isPresent()) {
            storage = new Config.Storage(options.bucket(), options.s3());
            s3AccessKey = options.s3AccessKey().orElseThrow(() -> new IllegalArgumentException("--s3 needs AWS_ACCESS_KEY_ID"));
            s3SecretKey = options.s3SecretKey().orElseThrow(() -> new IllegalArgumentException("--s3 needs AWS_SECRET_ACCESS_KEY"));
        } else {
            s3AccessKey = randomSecret();
            s3SecretKey = randomSecret();
            EmbeddedS3 s3 = EmbeddedS3.start(data.resolve("s3"), options.bucket(), s3AccessKey, s3SecretKey, null,
                    options.durable());
            resources.add(s3);
            storage = new Config.Storage(options.bucket(), Optional.of(s3.endpoint()));
        }
        Optional<Config.Redis> redis = options.redis().map(LocalServer::redis);
        Config config = new Config("us-east-1", Optional.of(database), Optional.of(storage), redis,
                options.maxFileBytes(), Optional.empty(),
                Optional.of(new Config.Login(RUNTIME_ROLE, runtimePassword)),
                Optional.of(new Config.Login(s3AccessKey, s3SecretKey)));
        startPurge(config);
        if (options.webhookUrl().isPresent()) {
            startDispatcher(config.withWebhook(new Config.Webhook(options.webhookUrl().get(), Optional.empty(),
                    Optional.of(options.webhookApiKey().orElseThrow(
                            () -> new IllegalArgumentException("--webhook-url needs HS_WEBHOOK_API_KEY"))))));
        }

        FunctionPool pool = resources.add(new FunctionPool(functions(config), options.environmentsPerFunction()));
        HttpsFront prepared;
        try {
            prepared = front.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
        certificate = data.resolve("tls").resolve("localhost.pem");
        server = prepared.start(new ApiReference(new ApiGatewayBridge(pool, options.maxFileBytes(), timeout)));
    }

    /** The TLS context (the certificate made on the first start) and the HTTPS front, not listening yet. */
    private static HttpsFront prepareFront(LocalOptions options, Path data, Duration timeout) {
        SSLContext tls;
        try {
            tls = SelfSignedCertificate.sslContext(data.resolve("tls"));
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("the TLS certificate in " + data.resolve("tls") + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while making the TLS certificate", e);
        }
        return HttpsFront.prepare(options.port(), tls, new HttpsFront.Limits(options.maxRequestLineBytes(),
                options.maxHeaderBytes(), ApiGatewayBridge.DRAIN_LIMIT, options.maxRequests(), options.maxConnections(),
                timeout, Duration.ofSeconds(options.idleTimeoutSeconds())));
    }

    /** As the every-minute schedule does in AWS: one thread, one run at a time. */
    private void startDispatcher(Config config) {
        // A failed run leaves its events leased; the next run (a minute later) sends them.
        schedule("dispatch-events", resources.add(new DispatchEventsFunction(config, RequestLog.toStandardOutput())),
                Duration.ofSeconds(5), Duration.ofMinutes(1));
    }

    /**
     * As the daily schedule does in AWS, but soon after start and then hourly: expired files and
     * orphan blobs, so that the laptop's store does not grow for ever (the embedded S3 server has
     * no lifecycle rule). What a failed run left, the next one removes.
     */
    private void startPurge(Config config) {
        schedule("purge-expired", resources.add(new PurgeExpiredFunction(config, RequestLog.toStandardOutput())),
                PURGE_DELAY, PURGE_EVERY);
    }

    /** Runs a scheduled function on a thread of its own, one run at a time; a failed run is logged. */
    private void schedule(String name, RequestHandler<Map<String, Object>, Map<String, Object>> function,
            Duration delay, Duration period) {
        ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(
                runnable -> Thread.ofPlatform().daemon().name(name).unstarted(runnable));
        schedule.scheduleWithFixedDelay(() -> {
            try {
                function.handleRequest(Map.of(), new LocalContext(name, UUID.randomUUID().toString()));
            } catch (RuntimeException e) {
                System.err.println(name + ": " + e.getMessage());
            }
        }, delay.toSeconds(), period.toSeconds(), TimeUnit.SECONDS);
        resources.add(schedule::shutdownNow);
    }

    static Map<String, Supplier<ApiHandler>> functions(Config config) {
        RequestLog log = RequestLog.toStandardOutput();
        Map<String, Supplier<ApiHandler>> functions = new LinkedHashMap<>();
        functions.put("create-file", () -> new CreateFileFunction(config, log));
        functions.put("read-file", () -> new ReadFileFunction(config, log));
        functions.put("list-files", () -> new ListFilesFunction(config, log));
        functions.put("update-file", () -> new UpdateFileFunction(config, log));
        functions.put("delete-file", () -> new DeleteFileFunction(config, log));
        functions.put("health", () -> new HealthFunction(config, log));
        return functions;
    }

    /** Migrates as the owner and sets up the runtime role the functions connect as, as the migrate function does. */
    private Config.Database startDatabase(LocalOptions options, Path data, String runtimePassword) throws IOException {
        String host;
        int port;
        String name;
        PostgresCredentials owner;
        if (options.postgres().isPresent()) {
            URI address = URI.create("postgresql://" + options.postgres().get());
            host = address.getHost();
            port = address.getPort() < 0 ? 5432 : address.getPort();
            name = address.getPath() == null || address.getPath().length() <= 1 ? "postgres" : address.getPath().substring(1);
            owner = PostgresCredentials.fixed(new PostgresCredentials.Credentials(
                    options.postgresUser(), options.postgresPassword().orElse("")));
        } else {
            EmbeddedPostgres.Builder embedded = EmbeddedPostgres.builder()
                    .setDataDirectory(data.resolve("postgres"))
                    .setCleanDataDirectory(false)
                    // The embedded default is off: a commit is acknowledged once its log record is written.
                    .setServerConfig("synchronous_commit", "on")
                    .setOverrideWorkingDirectory(data.resolve("postgres-binaries").toFile());
            if (options.durable()) {
                // zonky starts the server with -F (fsync off), so nothing reached the disk on commit;
                // a -c given after it wins. Full pages in the log make a torn page after a crash repairable.
                embedded.setServerConfig("fsync", "on").setServerConfig("full_page_writes", "on");
            }
            EmbeddedPostgres postgres = embedded.start();
            resources.add(postgres);
            host = "127.0.0.1";
            port = postgres.getPort();
            name = "postgres";
            owner = PostgresCredentials.fixed(new PostgresCredentials.Credentials("postgres", ""));
        }
        PostgresSettings settings = PostgresSettings.of(host, port, name)
                .withSsl(PostgresSettings.SslMode.PREFER, Optional.empty());
        new DatabaseMigrator(settings, owner).migrate(RUNTIME_ROLE, runtimePassword);
        return new Config.Database(host, port, name, "prefer", Optional.empty(), Optional.empty(), Optional.empty());
    }

    /**
     * The runtime role's password. Derived from the owner's password (HMAC-SHA256 with a fixed
     * context) when there is one, so every laptop server sharing a database through the same owner
     * login sets the same password and a start never locks out one already running; random when
     * the owner logs in without a password (the embedded PostgreSQL, which trusts loopback).
     */
    static String runtimePassword(Optional<String> ownerPassword) {
        if (ownerPassword.isEmpty() || ownerPassword.get().isEmpty()) {
            return randomSecret();
        }
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(ownerPassword.get().getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(hmac.doFinal(
                    ("hello-serverless local runtime role " + RUNTIME_ROLE).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** TLS 1.3's suites, and for TLS 1.2 only an ephemeral key exchange with an AEAD cipher (no CBC, no SHA-1). */
    static String[] cipherSuites(String[] available) {
        return java.util.Arrays.stream(available)
                .filter(suite -> suite.startsWith("TLS_AES_") || suite.startsWith("TLS_CHACHA20_")
                        || (suite.startsWith("TLS_ECDHE_") && (suite.contains("_GCM_") || suite.contains("_CHACHA20_POLY1305_"))))
                .toArray(String[]::new);
    }

    private static Config.Redis redis(String address) {
        URI uri = URI.create("redis://" + address);
        return new Config.Redis(uri.getHost(), uri.getPort() < 0 ? 6379 : uri.getPort(), false, Optional.empty());
    }

    private static String randomSecret() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    public int port() {
        return server.port();
    }

    public Path certificate() {
        return certificate;
    }

    /** Stops serving (closing every connection), then closes what was opened, the last first: functions, stores, databases. */
    @Override
    public void close() {
        if (server != null) {
            server.close();
            server = null;
        }
        resources.close();
    }

    private void closeQuietly() {
        try {
            close();
        } catch (Exception e) {
            System.err.println("shutdown: " + e);
        }
    }
}
