package io.helloserverless.adapters.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.helloserverless.adapters.postgres.PostgresCredentials.Credentials;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PostgresSettingsTest {

    @Test
    void namesTheSslModesAsTheDriverDoes() {
        assertEquals("verify-full", PostgresSettings.SslMode.VERIFY_FULL.value());
        assertEquals("require", PostgresSettings.SslMode.REQUIRE.value());
    }

    @Test
    void rejectsASocketTimeoutThatWouldCutAStatementBeforeTheServerCancelsIt() {
        PostgresSettings settings = PostgresSettings.of("db", 5432, "files");

        assertThrows(IllegalArgumentException.class,
                () -> settings.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(5)));
    }

    @Test
    void keepsThePasswordOutOfTheTextOfCredentials() {
        Credentials credentials = new Credentials("runtime", "s3cr3t-value");

        assertFalse(credentials.toString().contains("s3cr3t-value"), credentials.toString());
    }
}
