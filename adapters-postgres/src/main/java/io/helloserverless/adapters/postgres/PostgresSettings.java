package io.helloserverless.adapters.postgres;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the database is and how long anything may take. Secrets are not settings: they come
 * from a {@link PostgresCredentials}.
 *
 * @param sslRootCert the CA bundle that {@code verify-ca} and {@code verify-full} check the
 *     server against (for RDS, its global bundle); empty means the driver's default location
 * @param connectTimeout opening a connection (TCP and login); whole seconds, as the driver counts
 * @param socketTimeout waiting for any answer on an open connection; whole seconds, and longer
 *     than {@code statementTimeout}, so that the server cancels a slow statement before the
 *     client gives up on the connection
 * @param statementTimeout the server-side {@code statement_timeout}
 * @param validateAfterIdle a connection idle for at least this long is checked with a round trip
 *     before it is used again (an execution environment may have been frozen for minutes)
 */
public record PostgresSettings(
        String host,
        int port,
        String database,
        SslMode sslMode,
        Optional<String> sslRootCert,
        Duration connectTimeout,
        Duration socketTimeout,
        Duration statementTimeout,
        Duration validateAfterIdle,
        String applicationName) {

    /** The driver's {@code sslmode} values. */
    public enum SslMode {
        DISABLE, ALLOW, PREFER, REQUIRE, VERIFY_CA, VERIFY_FULL;

        public String value() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    public PostgresSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(sslMode, "sslMode");
        Objects.requireNonNull(sslRootCert, "sslRootCert");
        Objects.requireNonNull(applicationName, "applicationName");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535");
        }
        if (connectTimeout.toSeconds() < 1 || socketTimeout.toSeconds() < 1 || statementTimeout.toMillis() < 1) {
            throw new IllegalArgumentException("timeouts must be positive, connect and socket ones at least a second");
        }
        if (socketTimeout.compareTo(statementTimeout) <= 0) {
            throw new IllegalArgumentException("socketTimeout must be longer than statementTimeout");
        }
        if (validateAfterIdle.isNegative()) {
            throw new IllegalArgumentException("validateAfterIdle must not be negative");
        }
    }

    /**
     * Settings for a database at {@code host:port}: TLS if the server offers it, a connection
     * within 5 s, statements cut at 5 s, a connection idle for 5 s validated before use.
     */
    public static PostgresSettings of(String host, int port, String database) {
        return new PostgresSettings(host, port, database, SslMode.PREFER, Optional.empty(),
                Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(5), Duration.ofSeconds(5),
                "hello-serverless");
    }

    /** These settings with TLS as {@code mode} asks, checked against {@code rootCert} when given. */
    public PostgresSettings withSsl(SslMode mode, Optional<String> rootCert) {
        return new PostgresSettings(host, port, database, mode, rootCert, connectTimeout, socketTimeout,
                statementTimeout, validateAfterIdle, applicationName);
    }

    public PostgresSettings withTimeouts(Duration connect, Duration socket, Duration statement) {
        return new PostgresSettings(host, port, database, sslMode, sslRootCert, connect, socket, statement,
                validateAfterIdle, applicationName);
    }

    public PostgresSettings withValidateAfterIdle(Duration idle) {
        return new PostgresSettings(host, port, database, sslMode, sslRootCert, connectTimeout, socketTimeout,
                statementTimeout, idle, applicationName);
    }

    public PostgresSettings withApplicationName(String name) {
        return new PostgresSettings(host, port, database, sslMode, sslRootCert, connectTimeout, socketTimeout,
                statementTimeout, validateAfterIdle, name);
    }
}
