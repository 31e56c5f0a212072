package io.helloserverless.lambda.wiring;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.adapters.postgres.PostgresSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A migration may build an index (V3 on files.blob_key: about 2 s per million rows here), which
 * the request path's 2 s statement timeout would cancel, failing the deploy. The migrator gets
 * minutes, and still answers inside the migrate function's own timeout (terraform/locals.tf).
 */
class MigrationTimeoutTest {

    private static final Config CONFIG = Config.fromEnvironment(Map.of(
            "AWS_REGION", "eu-west-1", "DB_HOST", "db.internal", "DB_NAME", "files"));

    @Test
    void givesAMigrationMinutesInsideTheMigrateFunctionsTimeout() throws Exception {
        PostgresSettings settings = MigrationModule.settings(CONFIG);
        Duration function = Duration.ofSeconds(TimeBudgetTest.terraformTimeouts().get("migrate"));

        assertTrue(settings.statementTimeout().compareTo(Duration.ofMinutes(3)) >= 0, settings.toString());
        assertTrue(settings.socketTimeout().compareTo(settings.statementTimeout()) > 0, settings.toString());
        assertTrue(settings.connectTimeout().plus(settings.socketTimeout()).plus(Duration.ofSeconds(10)).compareTo(function) <= 0,
                settings + " inside " + function);
    }
}
