package io.helloserverless.local;

import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The laptop server's options: each a flag ({@code --port=8443}) or an environment variable
 * ({@code HS_PORT=8443}); the flag wins. Passwords are never flags (they would show in the
 * process list): an external PostgreSQL takes {@code PGPASSWORD}, an external S3 endpoint
 * {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}, the change events' receiver
 * {@code HS_WEBHOOK_API_KEY}.
 */
record LocalOptions(
        int port,
        Path dataDir,
        Optional<String> postgres,
        String postgresUser,
        Optional<String> postgresPassword,
        Optional<String> redis,
        Optional<URI> s3,
        String bucket,
        Optional<String> s3AccessKey,
        Optional<String> s3SecretKey,
        int maxFileBytes,
        int environmentsPerFunction,
        int maxRequests,
        int requestTimeoutSeconds,
        int maxConnections,
        int idleTimeoutSeconds,
        int maxRequestLineBytes,
        int maxHeaderBytes,
        Optional<URI> webhookUrl,
        Optional<String> webhookApiKey,
        boolean durable) {

    static final String USAGE = """
            usage: ./dev run [options]       (each option also as an environment variable)
              --port=8443                  HS_PORT            HTTPS port on localhost
              --data-dir=./data            HS_DATA_DIR        embedded PostgreSQL, blobs and the TLS certificate
              --postgres=HOST:PORT/DB      HS_POSTGRES        an external PostgreSQL instead of the embedded one
              --postgres-user=postgres     HS_POSTGRES_USER   its owner role (password from PGPASSWORD)
              --redis=HOST:PORT            HS_REDIS           a Redis behind the in-process cache
              --s3=URL                     HS_S3              an external S3-compatible endpoint (keys from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)
              --bucket=NAME                HS_BUCKET          its bucket
              --max-file-bytes=1048576     HS_MAX_FILE_BYTES  largest file accepted
              --environments=4             HS_ENVIRONMENTS    execution environments per function
              --max-requests=64            HS_MAX_REQUESTS    requests served at once; more are refused with 503
              --request-timeout=30         HS_REQUEST_TIMEOUT seconds a request may wait on its client (then 408), on its function (504) or for an environment (503)
              --max-connections=1024       HS_MAX_CONNECTIONS connections served at once; more wait to be accepted
              --idle-timeout=30            HS_IDLE_TIMEOUT    seconds a connection may stay without a request (or in its handshake or request line)
              --max-request-line=4096      HS_MAX_REQUEST_LINE bytes in the request line; more: 414
              --max-header-bytes=16384     HS_MAX_HEADER_BYTES bytes in the header section; more: 431
              --webhook-url=https://...    HS_WEBHOOK_URL     deliver change events there every minute (key from HS_WEBHOOK_API_KEY); off when absent
              --durable=true               HS_DURABLE         the embedded PostgreSQL and S3 force a write to disk before it is acknowledged; false: faster, lost in a power cut
            """;

    /** The record's own would print the passwords taken from the environment. */
    @Override
    public String toString() {
        return "LocalOptions[port=" + port + ", dataDir=" + dataDir + ", postgres=" + postgres + ", postgresUser="
                + postgresUser + ", redis=" + redis + ", s3=" + s3 + ", bucket=" + bucket + ", durable=" + durable
                + ", secrets=***]";
    }

    static LocalOptions parse(String[] args, Map<String, String> env) {
        Map<String, String> values = new HashMap<>();
        for (String arg : args) {
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new IllegalArgumentException("");
            }
            if (!arg.startsWith("--") || !arg.contains("=")) {
                throw new IllegalArgumentException("unknown argument: " + arg);
            }
            values.put(arg.substring(2, arg.indexOf('=')), arg.substring(arg.indexOf('=') + 1));
        }
        Lookup lookup = new Lookup(values, env);
        LocalOptions options = new LocalOptions(
                lookup.integer("port", 8443),
                Path.of(lookup.get("data-dir").orElse("data")),
                lookup.get("postgres"),
                lookup.get("postgres-user").orElse(env.getOrDefault("PGUSER", "postgres")),
                Optional.ofNullable(env.get("PGPASSWORD")),
                lookup.get("redis"),
                lookup.get("s3").map(URI::create),
                lookup.get("bucket").orElse("hello-serverless-local"),
                Optional.ofNullable(env.get("AWS_ACCESS_KEY_ID")),
                Optional.ofNullable(env.get("AWS_SECRET_ACCESS_KEY")),
                lookup.integer("max-file-bytes", 1024 * 1024),
                lookup.integer("environments", 4),
                lookup.positive("max-requests", 64),
                lookup.positive("request-timeout", 30),
                lookup.positive("max-connections", 1024),
                lookup.positive("idle-timeout", 30),
                lookup.positive("max-request-line", 4096),
                lookup.positive("max-header-bytes", 16 * 1024),
                lookup.get("webhook-url").map(URI::create),
                Optional.ofNullable(env.get("HS_WEBHOOK_API_KEY")),
                lookup.bool("durable", true));
        values.keySet().removeAll(Lookup.KNOWN);
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown option: --" + values.keySet().iterator().next());
        }
        return options;
    }

    private record Lookup(Map<String, String> flags, Map<String, String> env) {
        static final java.util.Set<String> KNOWN = java.util.Set.of("port", "data-dir", "postgres", "postgres-user",
                "redis", "s3", "bucket", "max-file-bytes", "environments", "max-requests", "request-timeout", "webhook-url",
                "durable", "max-connections", "idle-timeout", "max-request-line", "max-header-bytes");

        Optional<String> get(String name) {
            String variable = "HS_" + name.toUpperCase(java.util.Locale.ROOT).replace('-', '_');
            return Optional.ofNullable(flags.get(name)).or(() -> Optional.ofNullable(env.get(variable)))
                    .filter(v -> !v.isBlank());
        }

        boolean bool(String name, boolean fallback) {
            return get(name).map(v -> switch (v.toLowerCase(java.util.Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("--" + name + " must be true or false");
            }).orElse(fallback);
        }

        int integer(String name, int fallback) {
            return get(name).map(v -> {
                try {
                    return Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("--" + name + " must be a number");
                }
            }).orElse(fallback);
        }

        int positive(String name, int fallback) {
            int value = integer(name, fallback);
            if (value < 1) {
                throw new IllegalArgumentException("--" + name + " must be at least 1");
            }
            return value;
        }
    }
}
