package io.helloserverless.lambda.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.lambda.secrets.LoginSource.Login;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The Secrets Manager adapter, against a server speaking the real protocol and checking signatures as AWS does. */
class SecretsIT {

    private static final String DB_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-runtime-AbCdEf";

    private SecretsManagerServer server;
    private Secrets secrets;

    @BeforeEach
    void start() throws Exception {
        server = SecretsManagerServer.start();
        secrets = new Secrets(server.client(), Duration.ofMinutes(5));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void readsASecretOnceAndServesItFromMemoryWithinTheTtl() {
        server.put(DB_SECRET, "first");

        assertEquals("first", secrets.value(DB_SECRET));
        assertEquals("first", secrets.value(DB_SECRET));
        assertEquals("first", secrets.value(DB_SECRET));

        assertEquals(1, server.calls());
    }

    @Test
    void fetchesARotatedValueWhenAskedToRefresh() {
        server.put(DB_SECRET, "before rotation");
        secrets.value(DB_SECRET);
        server.put(DB_SECRET, "after rotation");

        assertEquals("before rotation", secrets.value(DB_SECRET), "still within the TTL");
        assertEquals("after rotation", secrets.refreshed(DB_SECRET));
        assertEquals("after rotation", secrets.value(DB_SECRET), "the refreshed value is kept");
        assertEquals(2, server.calls());
    }

    @Test
    void givesDatabaseCredentialsAndRefreshesThemOnDemand() {
        server.put(DB_SECRET, "{\"username\":\"hs_runtime\",\"password\":\"old\",\"engine\":\"postgres\"}");
        LoginSecret credentials = new LoginSecret(secrets, DB_SECRET);
        assertEquals(new Login("hs_runtime", "old"), credentials.current());

        server.put(DB_SECRET, "{\"username\":\"hs_runtime\",\"password\":\"new\"}");

        assertEquals(new Login("hs_runtime", "new"), credentials.refresh());
    }

    @Test
    void neverQuotesAMalformedSecretInItsError() {
        server.put(DB_SECRET, "not-json-but-a-password-s3cr3t");

        DependencyFailureException e = assertThrows(DependencyFailureException.class,
                () -> new LoginSecret(secrets, DB_SECRET).current());

        assertFalse(e.toString().contains("s3cr3t"), e.toString());
        assertEquals(null, e.getCause(), "a parser's exception could quote the value");
    }

    @Test
    void reportsAnUnreachableSecretsManagerAsADependencyFailure() {
        server.close();

        assertThrows(DependencyFailureException.class, () -> secrets.value(DB_SECRET));
    }

    @Test
    void refusesAWrongSecretKeyWithAClearDependencyFailure() {
        server.put(DB_SECRET, "never-handed-out-s3cr3t");
        Secrets wrongKey = new Secrets(server.client(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(SecretsManagerServer.ACCESS_KEY, "not-the-secret-key"))), Duration.ofMinutes(5));

        DependencyFailureException e = assertThrows(DependencyFailureException.class, () -> wrongKey.value(DB_SECRET));

        assertEquals("secrets", e.dependency());
        assertEquals("secrets: could not read a secret: InvalidSignatureException", e.getMessage());
        assertEquals(1, server.calls(), "a refusal is not retried");
    }

    @Test
    void refusesAnUnknownAccessKey() {
        server.put(DB_SECRET, "never-handed-out-s3cr3t");
        Secrets unknown = new Secrets(server.client(StaticCredentialsProvider.create(
                AwsBasicCredentials.create("someone-else", SecretsManagerServer.SECRET_KEY))), Duration.ofMinutes(5));

        DependencyFailureException e = assertThrows(DependencyFailureException.class, () -> unknown.value(DB_SECRET));

        assertEquals("secrets: could not read a secret: UnrecognizedClientException", e.getMessage());
    }

    @Test
    void reportsAMissingSecretByItsErrorTypeAndNeverQuotesTheAnswer() {
        // The server's message names the secret; the error must not carry it, in its message or a cause.
        DependencyFailureException e = assertThrows(DependencyFailureException.class, () -> secrets.value(DB_SECRET));

        assertEquals("secrets", e.dependency());
        assertEquals("secrets: could not read a secret: ResourceNotFoundException", e.getMessage());
        assertNull(e.getCause(), "a cause could quote the answer");
        assertFalse(e.toString().contains("can't find"), e.toString());
    }

    @Test
    void sendsAndSignsTheSessionToken() {
        server.put(DB_SECRET, "value");
        Secrets session = new Secrets(server.client(StaticCredentialsProvider.create(AwsSessionCredentials.create(
                SecretsManagerServer.ACCESS_KEY, SecretsManagerServer.SECRET_KEY, "session-token-of-the-role"))),
                Duration.ofMinutes(5));

        assertEquals("value", session.value(DB_SECRET), "the server checks the token is signed in");
        assertEquals("session-token-of-the-role", server.lastSessionToken().orElseThrow());
    }

    @Test
    void retriesAServerErrorThenReads() {
        server.put(DB_SECRET, "value");
        server.failNext(1, 500, "InternalServiceError");

        assertEquals("value", secrets.value(DB_SECRET));
        assertEquals(2, server.calls());
    }

    @Test
    void retriesThrottlingThenReads() {
        server.put(DB_SECRET, "value");
        server.failNext(2, 400, "ThrottlingException");

        assertEquals("value", secrets.value(DB_SECRET));
        assertEquals(3, server.calls());
    }

    @Test
    void givesUpAfterThreeAttempts() {
        server.put(DB_SECRET, "value");
        server.failNext(10, 503, "ServiceUnavailableException");

        DependencyFailureException e = assertThrows(DependencyFailureException.class, () -> secrets.value(DB_SECRET));

        assertEquals("secrets: could not read a secret: ServiceUnavailableException", e.getMessage());
        assertEquals(3, server.calls());
    }

    @Test
    void readsAgainOnceTheTtlIsOver() throws InterruptedException {
        server.put(DB_SECRET, "first");
        Secrets shortLived = new Secrets(server.client(), Duration.ofMillis(100));
        assertEquals("first", shortLived.value(DB_SECRET));
        server.put(DB_SECRET, "second");

        Thread.sleep(250);

        assertEquals("second", shortLived.value(DB_SECRET));
        assertEquals(2, server.calls());
    }
}
