package io.helloserverless.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.helloserverless.embedded.s3.EmbeddedS3;
import io.helloserverless.lambda.ApiHandler;
import io.helloserverless.lambda.DispatchEventsFunction;
import io.helloserverless.lambda.Functions;
import io.helloserverless.lambda.MigrateFunction;
import io.helloserverless.lambda.PurgeExpiredFunction;
import io.helloserverless.lambda.Setup;
import io.helloserverless.lambda.http.RequestLog;
import io.helloserverless.lambda.secrets.LoginSource.Login;
import io.helloserverless.lambda.wiring.CacheModule;
import io.helloserverless.lambda.wiring.Config;
import io.helloserverless.lambda.wiring.Overrides;
import io.helloserverless.lambda.wiring.Resources;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.time.Clock;
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
        Login runtimeLogin = new Login(RUNTIME_ROLE, runtimePassword(options.postgresPassword()));
        Duration timeout = Duration.ofSeconds(options.requestTimeoutSeconds());
        // The front's set-up runs while the databases start; it listens once the functions can serve.
        CompletableFuture<HttpsFront> front = CompletableFuture.supplyAsync(() -> prepareFront(options, data, timeout),
                runnable -> Thread.ofPlatform().daemon().name("https-front").start(runnable));

        Config.Storage storage;
        Login s3Keys;
        if (options.s3().isPresent()) {
            storage = new Config.Storage(options.bucket(), options.s3());
            s3Keys = new Login(
                    options.s3AccessKey().orElseThrow(() -> new IllegalArgumentException("--s3 needs AWS_ACCESS_KEY_ID")),
                    options.s3SecretKey().orElseThrow(() -> new IllegalArgumentException("--s3 needs AWS_SECRET_ACCESS_KEY")));
        } else {
            s3Keys = new Login(randomSecret(), randomSecret());
            EmbeddedS3 s3 = EmbeddedS3.start(data.resolve("s3"), options.bucket(), s3Keys.user(), s3Keys.password(), null,
                    options.durable());
            resources.add(s3);
            storage = new Config.Storage(options.bucket(), Optional.of(s3.endpoint()));
        }
        Config config = new Config("us-east-1", Optional.of(startDatabase(options, data, runtimeLogin)),
                Optional.of(storage), options.redis().map(LocalServer::redis), options.maxFileBytes(), Optional.empty());
        // One cache for every function: a write by one invalidates what the others read.
        CacheModule.Cache cache = resources.add(CacheModule.Cache.open(config, Optional.empty(), Clock.systemUTC()));
        Setup setup = Setup.of(config, Overrides.none().withDatabaseLogin(runtimeLogin).withAwsKeys(s3Keys).withCache(cache),
                RequestLog.toStandardOutput());
        startPurge(setup);
        if (options.webhookUrl().isPresent()) {
            startDispatcher(Setup.of(config.withWebhook(new Config.Webhook(options.webhookUrl().get(), Optional.empty())),
                    setup.overrides().withWebhookApiKey(options.webhookApiKey().orElseThrow(
                            () -> new IllegalArgumentException("--webhook-url needs HS_WEBHOOK_API_KEY"))),
                    setup.log()));
        }

        FunctionPool pool = resources.add(new FunctionPool(functions(setup), options.environmentsPerFunction()));
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
    private void startDispatcher(Setup setup) {
        // A failed run leaves its events leased; the next run (a minute later) sends them.
        schedule(resources.add(new DispatchEventsFunction(setup)), Duration.ofSeconds(5), Duration.ofMinutes(1));
    }

    /**
     * As the daily schedule does in AWS, but soon after start and then hourly: expired files and
     * orphan blobs, so that the laptop's store does not grow for ever (the embedded S3 server has
     * no lifecycle rule). What a failed run left, the next one removes.
     */
    private void startPurge(Setup setup) {
        schedule(resources.add(new PurgeExpiredFunction(setup)), PURGE_DELAY, PURGE_EVERY);
    }

    /** Runs a scheduled function on a thread of its own, one run at a time; a failed run is logged. */
    private void schedule(RequestHandler<Map<String, Object>, Map<String, Object>> function, Duration delay,
            Duration period) {
        String name = Functions.nameOf(function.getClass());
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

    /** The API's functions, as {@link Functions} declares them. */
    static Map<String, Supplier<ApiHandler>> functions(Setup setup) {
        Map<String, Supplier<ApiHandler>> functions = new LinkedHashMap<>();
        for (Functions.Function function : Functions.api()) {
            functions.put(function.name(), () -> function.newHandler(ApiHandler.class, setup));
        }
        return functions;
    }

    /**
     * Starts the embedded PostgreSQL unless an external one is given, then runs the migrate
     * function as the owner, as the deploy workflow does: migrations applied, the runtime role the
     * functions connect as given {@code runtimeLogin}.
     */
    private Config.Database startDatabase(LocalOptions options, Path data, Login runtimeLogin) throws IOException {
        String host;
        int port;
        String name;
        Login owner;
        if (options.postgres().isPresent()) {
            URI address = URI.create("postgresql://" + options.postgres().get());
            host = address.getHost();
            port = address.getPort() < 0 ? 5432 : address.getPort();
            name = address.getPath() == null || address.getPath().length() <= 1 ? "postgres" : address.getPath().substring(1);
            owner = new Login(options.postgresUser(), options.postgresPassword().orElse(""));
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
            owner = new Login("postgres", "");
        }
        Config.Database database = new Config.Database(host, port, name, "prefer", Optional.empty(), Optional.empty(),
                Optional.empty());
        Config config = new Config("us-east-1", Optional.of(database), Optional.empty(), Optional.empty(),
                options.maxFileBytes(), Optional.empty());
        MigrateFunction migrate = new MigrateFunction(Setup.of(config,
                Overrides.none().withMigrationLogin(owner).withDatabaseLogin(runtimeLogin), RequestLog.toStandardOutput()));
        migrate.handleRequest(Map.of(), new LocalContext(Functions.nameOf(MigrateFunction.class),
                UUID.randomUUID().toString()));
        return database;
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
