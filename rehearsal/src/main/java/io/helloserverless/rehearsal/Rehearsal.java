package io.helloserverless.rehearsal;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.helloserverless.embedded.s3.EmbeddedS3;
import io.helloserverless.lambda.secrets.SecretsManagerServer;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code ./dev rehearse}: what a deploy creates, on this machine. The function zips run as Lambda
 * runs them ({@link LambdaService}) with the environment {@code terraform/} gives them
 * ({@link Deployment}), behind API Gateway as {@code openapi.yaml} declares it ({@link Gateway}),
 * against TLS-only stand-ins of RDS and ElastiCache ({@link StandIns}), and S3 and Secrets Manager
 * (plain HTTP on loopback).
 * {@code migrate} runs first, as the deploy workflow runs it; {@code dispatch-events} runs every
 * minute, as its schedule does.
 */
public final class Rehearsal implements AutoCloseable {

    /**
     * Where things are and which port to serve ({@code port} 0 picks a free one); {@code schedules}
     * runs dispatch-events every minute as EventBridge does (a test invokes it itself instead).
     */
    public record Options(int port, Path data, Path terraform, Path functions, Path runtime, int environmentsPerFunction,
                          boolean schedules) {
        static Options parse(String[] args) {
            int port = 9443;
            int environments = 2;
            Path data = Path.of("data", "rehearsal");
            for (String arg : args) {
                if (arg.startsWith("--port=")) {
                    port = Integer.parseInt(arg.substring("--port=".length()));
                } else if (arg.startsWith("--environments=")) {
                    environments = Integer.parseInt(arg.substring("--environments=".length()));
                    if (environments < 1) {
                        throw new IllegalArgumentException("--environments must be at least 1");
                    }
                } else if (arg.startsWith("--data-dir=")) {
                    data = Path.of(arg.substring("--data-dir=".length()));
                } else {
                    throw new IllegalArgumentException("usage: ./dev rehearse [--port=9443] [--environments=2] [--data-dir=data/rehearsal]");
                }
            }
            return new Options(port, data, Path.of("terraform"), Path.of("adapters-lambda", "target", "functions"),
                    Path.of("rehearsal", "target", "lambda-runtime"), environments, true);
        }
    }

    static final String REGION = "eu-west-1";
    static final String ACCOUNT = "123456789012";
    /** Where Lambda mounts a function's layers. */
    private static final String LAYER_ROOT = "/opt/";

    private final List<AutoCloseable> resources = new ArrayList<>();
    private final Map<String, LambdaService> functions = new LinkedHashMap<>();
    /** Each function's name by its handler's simple class name, as Terraform deploys them. */
    private final Map<String, String> handlers = new LinkedHashMap<>();
    private final AtomicInteger webhookDeliveries = new AtomicInteger();
    private final PrintStream log;
    private Pki pki;
    private Gateway gateway;
    private Process redis;
    private Path database;

    private Rehearsal(PrintStream log) {
        this.log = log;
    }

    public static void main(String[] args) throws Exception {
        long started = System.nanoTime();
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
            return;
        }
        Rehearsal rehearsal;
        try {
            rehearsal = start(options, System.out);
        } catch (Exception e) {
            System.err.println("rehearse: could not start: " + e.getMessage());
            System.exit(1);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(rehearsal::close, "shutdown"));
        String url = "https://localhost:" + rehearsal.port();
        System.err.printf("""
                rehearsal is serving %s (ready in %d ms; data in %s; Ctrl-C stops it)
                  curl --cacert %s -X POST '%s/v1/files?name=hello.txt' -H 'Content-Type: text/plain' --data-binary 'Hello, world'
                  curl --cacert %s %s/v1/files/hello.txt
                """, url, (System.nanoTime() - started) / 1_000_000, options.data().toAbsolutePath(),
                rehearsal.caCertificate(), url, rehearsal.caCertificate(), url);
    }

    /** Starts everything; on failure stops what had started and says which part failed. */
    public static Rehearsal start(Options options, PrintStream log) throws Exception {
        Rehearsal rehearsal = new Rehearsal(log);
        try {
            rehearsal.startAll(options);
            return rehearsal;
        } catch (Exception e) {
            rehearsal.close();
            throw e;
        }
    }

    private void startAll(Options options) throws Exception {
        Path data = options.data().toAbsolutePath();
        Files.createDirectories(data);
        database = data.resolve("rds").resolve("data");
        pki = step("certificates", () -> Pki.open(data.resolve("pki")));
        // The gateway's port is bound first: the functions' environment names it (API_BASE_URL).
        HttpsServer front;
        try {
            front = Gateway.bind(pki.serverContext(), options.port());
        } catch (java.net.BindException e) {
            throw new IllegalStateException("port " + options.port() + " is taken; choose another with --port=N");
        }
        resources.add(() -> front.stop(0));
        int port = front.getAddress().getPort();

        SecretsManagerServer secrets = step("Secrets Manager", SecretsManagerServer::start);
        resources.add(secrets);
        String webhookKey = random();
        HttpsServer webhook = step("the remote service", () -> webhookReceiver(webhookKey));
        resources.add(() -> webhook.stop(0));

        Map<String, String> standIns = new LinkedHashMap<>();
        Deployment terraform = Deployment.open(options.terraform(), Map.of(
                "domain_name", "localhost:" + port,
                "webhook_url", "https://localhost:" + webhook.getAddress().getPort() + "/events"), standIns::get);

        String secretPrefix = "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:";
        for (String secret : List.of("db_runtime", "cache", "api_key")) {
            String name = terraform.attribute("secrets.tf", "resource \"aws_secretsmanager_secret\" \"" + secret + "\"", "name");
            standIns.put("aws_secretsmanager_secret." + secret + ".arn", secretPrefix + name + "-Rh3rsl");
        }
        String masterSecretArn = secretPrefix + "rds!db-" + UUID.randomUUID() + "-Rh3rsl";
        standIns.put("aws_db_instance.main.master_user_secret[0].secret_arn", masterSecretArn);
        standIns.put("aws_db_instance.main.address", "localhost");
        standIns.put("aws_elasticache_replication_group.cache.primary_endpoint_address", "localhost");
        String appUser = "resource \"aws_elasticache_user\" \"app\"";
        standIns.put("aws_elasticache_user.app.user_name", terraform.attribute("cache.tf", appUser, "user_name"));
        String bucket = terraform.attribute("storage.tf", "resource \"aws_s3_bucket\" \"files\"", "bucket_prefix") + "rehearsal";
        standIns.put("aws_s3_bucket.files.bucket", bucket);

        // RDS: the master login in its RDS-managed secret, the runtime role's in the secret Terraform writes.
        String master = terraform.attribute("database.tf", "resource \"aws_db_instance\" \"main\"", "username");
        String masterPassword = random();
        var rds = step("PostgreSQL (RDS)", () -> StandIns.rds(data.resolve("rds"), pki,
                terraform.evaluate("local.db_name"), master, masterPassword));
        resources.add(rds);
        secrets.put(masterSecretArn, login(master, masterPassword));
        String runtimeSecret = "resource \"aws_secretsmanager_secret_version\" \"db_runtime\"";
        secrets.put(standIns.get("aws_secretsmanager_secret.db_runtime.arn"),
                login(terraform.attribute("secrets.tf", runtimeSecret, "username"), random()));

        // ElastiCache: TLS, the default user as cache.tf sets it, the application's user in its secret.
        int redisPort = StandIns.freePort();
        String cachePassword = random();
        redis = step("Redis (ElastiCache)", () -> StandIns.elastiCache(data.resolve("cache"), pki, redisPort,
                terraform.attribute("cache.tf", "resource \"aws_elasticache_user\" \"default\"", "access_string"),
                standIns.get("aws_elasticache_user.app.user_name"),
                terraform.attribute("cache.tf", appUser, "access_string"), cachePassword));
        resources.add(redis::destroyForcibly);
        String cacheSecret = "resource \"aws_secretsmanager_secret_version\" \"cache\"";
        secrets.put(standIns.get("aws_secretsmanager_secret.cache.arn"),
                login(terraform.attribute("secrets.tf", cacheSecret, "username"), cachePassword));
        secrets.put(standIns.get("aws_secretsmanager_secret.api_key.arn"), webhookKey);

        // The functions' role credentials, which Lambda puts in every environment; S3 and Secrets Manager check their signature.
        String accessKey = "ASIA" + random().substring(0, 16).toUpperCase();
        String secretKey = random();
        EmbeddedS3 s3 = step("S3", () -> EmbeddedS3.start(data.resolve("s3"), bucket, accessKey, secretKey, "localhost"));
        secrets.allow(accessKey, secretKey);
        resources.add(s3);

        Path hosts = data.resolve("hosts");
        Files.writeString(hosts, "127.0.0.1 localhost " + bucket + ".localhost\n");
        Path layers = data.resolve("layers");
        Map<String, String> lambda = lambdaEnvironment(terraform, options, accessKey, secretKey,
                "http://localhost:" + s3.endpoint().getPort(), "http://localhost:" + secrets.endpoint().getPort());
        List<String> runtimeOptions = List.of(
                // Amazon's roots are in the JDK's trust store; the rehearsal's CA is added to a copy of it.
                "-Djavax.net.ssl.trustStore=" + pki.trustStore,
                "-Djavax.net.ssl.trustStorePassword=" + Pki.trustStorePassword(),
                "-Djavax.net.ssl.trustStoreType=PKCS12",
                // The VPC's DNS: every name a function resolves is a stand-in on this machine.
                "-Djdk.net.hosts.file=" + hosts);
        Map<String, String> ports = Map.of("DB_PORT", String.valueOf(rds.getPort()), "REDIS_PORT", String.valueOf(redisPort));
        writeLayers(layers, terraform.functions());
        String functionPrefix = terraform.evaluate("local.name") + "-";
        for (Deployment.Function function : terraform.functions()) {
            // "io.helloserverless.lambda.MigrateFunction::handleRequest" -> "MigrateFunction"
            String handlerClass = function.handler().replaceFirst("::.*$", "");
            handlers.put(handlerClass.substring(handlerClass.lastIndexOf('.') + 1), function.name());
            Deployment.Function here = onThisMachine(function, ports, layers);
            Path zip = options.functions().resolve(function.name() + ".zip");
            if (!Files.exists(zip)) {
                throw new IllegalStateException("no package " + zip + " (build it: mvn -DskipTests package)");
            }
            functions.put(function.name(), new LambdaService(here, zip, data.resolve("tasks").resolve(function.name()),
                    options.runtime().toAbsolutePath(), lambda, runtimeOptions,
                    "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + functionPrefix + function.name() + ":live",
                    Math.min(function.reservedConcurrency(), options.environmentsPerFunction()), log));
        }
        functions.values().forEach(resources::add);

        step("migrate", () -> {
            if (!(invoke(handledBy("MigrateFunction"), "{}") instanceof LambdaService.Outcome.Success)) {
                throw new IllegalStateException("the migrate function failed (its log is above)");
            }
            return null;
        });
        gateway = step("API Gateway", () -> new Gateway(options.terraform(), terraform.evaluate("local.stage_name"),
                functions, front));
        resources.add(gateway);
        if (options.schedules()) {
            ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(
                    runnable -> Thread.ofPlatform().daemon().name("schedule").unstarted(runnable));
            String dispatch = handledBy("DispatchEventsFunction");
            schedule.scheduleWithFixedDelay(() -> invoke(dispatch, "{}"), 60, 60, TimeUnit.SECONDS);
            resources.add(schedule::shutdownNow);
        }
    }

    /** What Lambda itself puts in every environment of a function, and the stand-ins' endpoints. */
    private static Map<String, String> lambdaEnvironment(Deployment terraform, Options options, String accessKey,
                                                         String secretKey, String s3Endpoint, String secretsEndpoint)
            throws IOException {
        Map<String, String> lambda = new LinkedHashMap<>();
        lambda.put("AWS_REGION", REGION);
        lambda.put("AWS_DEFAULT_REGION", REGION);
        lambda.put("AWS_ACCESS_KEY_ID", accessKey);
        lambda.put("AWS_SECRET_ACCESS_KEY", secretKey);
        lambda.put("AWS_SESSION_TOKEN", random());
        lambda.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        lambda.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        lambda.put("AWS_LAMBDA_FUNCTION_VERSION", "1");
        // What Lambda sets from the function's logging_config.
        String functionResource = "resource \"aws_lambda_function\" \"function\"";
        lambda.put("AWS_LAMBDA_LOG_FORMAT", terraform.attribute("functions.tf", functionResource, "log_format"));
        lambda.put("AWS_LAMBDA_LOG_LEVEL", terraform.attribute("functions.tf", functionResource, "application_log_level"));
        lambda.put("AWS_LAMBDA_LOG_GROUP_NAME",
                terraform.attribute("functions.tf", "resource \"aws_cloudwatch_log_group\" \"functions\"", "name"));
        lambda.put("LAMBDA_RUNTIME_DIR", options.runtime().toAbsolutePath().toString());
        lambda.put("TZ", ":UTC");
        lambda.put("LANG", "en_US.UTF-8");
        lambda.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        // Stand-ins for AWS's regional endpoints: the SDK's own endpoint variables (Config reads the second itself,
        // as the SDK's Secrets Manager client did: ADR 0017).
        lambda.put("AWS_ENDPOINT_URL_S3", s3Endpoint);
        lambda.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", secretsEndpoint);
        return lambda;
    }

    /**
     * The two things that differ on one machine: the database's and the cache's ports (5432 and
     * 6379 belong to the machine's own servers), and {@code /opt}, where Lambda mounts layers,
     * which is the rehearsal's folder of the function's layers.
     */
    private static Deployment.Function onThisMachine(Deployment.Function function, Map<String, String> ports, Path layers) {
        Map<String, String> environment = new LinkedHashMap<>(function.environment());
        ports.forEach((name, port) -> environment.computeIfPresent(name, (n, v) -> port));
        Path opt = function.layers().isEmpty() ? layers.resolve("none") : layers.resolve("opt");
        environment.replaceAll((name, value) -> value.startsWith(LAYER_ROOT)
                ? opt.resolve(value.substring(LAYER_ROOT.length())).toString() : value);
        return new Deployment.Function(function.name(), function.handler(), function.memoryMb(), function.timeoutSeconds(),
                Map.copyOf(environment), function.layers(), function.reservedConcurrency());
    }

    /**
     * The one layer, the RDS CA bundle, holds the rehearsal's CA where the environment says the
     * bundle is ({@code DB_SSLROOTCERT} under {@code /opt}); functions without it see an empty {@code /opt}.
     */
    private void writeLayers(Path layers, List<Deployment.Function> functions) throws IOException {
        Files.createDirectories(layers.resolve("none"));
        for (Deployment.Function function : functions) {
            String bundle = function.environment().get("DB_SSLROOTCERT");
            if (!function.layers().isEmpty() && bundle != null && bundle.startsWith(LAYER_ROOT)) {
                Path file = layers.resolve("opt").resolve(bundle.substring(LAYER_ROOT.length()));
                Files.createDirectories(file.getParent());
                Files.copy(pki.caPem, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** Invokes {@code function} directly, as a schedule or the deploy workflow does. */
    public LambdaService.Outcome invoke(String function, String payload) {
        LambdaService service = functions.get(function);
        if (service == null) {
            throw new IllegalArgumentException("no function " + function);
        }
        return service.invoke(payload.getBytes(StandardCharsets.UTF_8));
    }

    public int port() {
        return gateway.port();
    }

    /** The CA that signs every certificate here: what a client of the rehearsal trusts. */
    public Path caCertificate() {
        return pki.caPem;
    }

    public int webhookDeliveries() {
        return webhookDeliveries.get();
    }

    /** The ElastiCache stand-in's process, for tests that freeze or stop it. */
    public ProcessHandle redis() {
        return redis.toHandle();
    }

    /** The RDS stand-in's postmaster, for tests that freeze it (its backends are its children). */
    public ProcessHandle database() throws IOException {
        long pid = Long.parseLong(Files.readAllLines(database.resolve("postmaster.pid")).getFirst().strip());
        return ProcessHandle.of(pid).orElseThrow();
    }

    /** The name Terraform gives the function whose handler is {@code handler} (a class's simple name). */
    public String handledBy(String handler) {
        String name = handlers.get(handler);
        if (name == null) {
            throw new IllegalArgumentException("no function runs " + handler);
        }
        return name;
    }

    /** The function as the rehearsal runs it. */
    LambdaService function(String name) {
        return functions.get(name);
    }

    /** Every environment of {@code function} stopped: the next call is a cold start. */
    public void retire(String function) {
        functions.get(function).retire();
    }

    /** The remote HTTPS service change events go to: accepts a request that carries the API key. */
    private HttpsServer webhookReceiver(String key) throws Exception {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setHttpsConfigurator(new HttpsConfigurator(pki.serverContext()));
        server.createContext("/events", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                boolean authorised = ("Bearer " + key).equals(exchange.getRequestHeaders().getFirst("Authorization"));
                if (authorised) {
                    webhookDeliveries.incrementAndGet();
                }
                exchange.sendResponseHeaders(authorised ? 204 : 401, -1);
            }
        });
        server.start();
        return server;
    }

    private interface Step<T> {
        T run() throws Exception;
    }

    private static <T> T step(String what, Step<T> step) throws Exception {
        try {
            return step.run();
        } catch (Exception e) {
            throw new IllegalStateException(what + ": " + e.getMessage(), e);
        }
    }

    private static String login(String user, String password) {
        return "{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}";
    }

    private static String random() {
        byte[] bytes = new byte[20];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public void close() {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                log.println("rehearse: stopping: " + e);
            }
        }
        resources.clear();
    }
}
