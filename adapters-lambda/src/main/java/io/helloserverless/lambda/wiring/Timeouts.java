package io.helloserverless.lambda.wiring;

import java.time.Duration;

/**
 * The longest each remote call of a request may take, in one place: added up along a
 * function's worst path (docs/adr/0007-time-budget.md), they fit inside the function's Lambda
 * timeout with a second to spare, so that a hanging dependency costs the client a {@code 503}
 * problem with {@code Retry-After}, and never a function timeout that API Gateway turns into a
 * {@code 502}. {@code TimeBudgetTest} holds the sums against {@code terraform/locals.tf}.
 */
public final class Timeouts {

    /** Opening a database connection (TCP, TLS, login), and validating an idle one. */
    public static final Duration DATABASE_CONNECT = Duration.ofSeconds(2);
    /** Any answer on an open database connection; longer than the server's statement timeout. */
    public static final Duration DATABASE_SOCKET = Duration.ofSeconds(3);
    /** PostgreSQL's {@code statement_timeout}: the server cancels a slow statement first. */
    public static final Duration DATABASE_STATEMENT = Duration.ofSeconds(2);

    /**
     * A migration's statements (an index build: seconds per million rows), and the socket
     * waiting for them: minutes, inside the migrate function's 300 s. Not on any request path.
     */
    public static final Duration MIGRATION_STATEMENT = Duration.ofMinutes(4);
    public static final Duration MIGRATION_SOCKET = MIGRATION_STATEMENT.plusSeconds(10);

    /** One Secrets Manager call, retries included. */
    public static final Duration SECRETS_CALL = Duration.ofMillis(1500);
    public static final Duration SECRETS_CONNECT = Duration.ofSeconds(1);

    /** One S3 call, retries included, and one attempt of it. */
    public static final Duration STORAGE_CALL = Duration.ofSeconds(3);
    public static final Duration STORAGE_ATTEMPT = Duration.ofMillis(1500);
    /**
     * Three attempts, capped by the call's 3 s: a hanging S3 gets two, while a connection dropped
     * under a request body fails at once and is retried at once. The laptop's S3 server drops
     * about 1 PUT in 150 that way with the URL-connection client (measured: 21 to 105 failures in
     * 3,000 single-attempt PUTs, 1 in 12,000 with two attempts, every dependency up).
     */
    public static final int STORAGE_ATTEMPTS = 3;

    private Timeouts() {
    }
}
