package io.helloserverless.lambda.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.lambda.secrets.LoginSource.Login;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** The Secrets Manager adapter with the real SDK client, against a server speaking the real protocol. */
class SecretsIT {

    private static final String DB_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:db-runtime-AbCdEf";

    private SecretsManagerServer server;
    private Secrets secrets;

    @BeforeEach
    void start() throws Exception {
        server = SecretsManagerServer.start();
        SecretsManagerClient client = server.client();
        secrets = new Secrets(client, Duration.ofMinutes(5));
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
    void reportsAMissingSecretAsADependencyFailure() {
        DependencyFailureException e = assertThrows(DependencyFailureException.class, () -> secrets.value(DB_SECRET));

        assertEquals("secrets", e.dependency());
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
}
