package io.helloserverless.rehearsal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rehearsal reads what Terraform deploys from terraform/ itself, and refuses what it cannot read. */
class DeploymentTest {

    private static final Path TERRAFORM = Path.of("..", "terraform");
    private static final Map<String, String> INPUTS = Map.of("domain_name", "files.example.com", "webhook_url", "https://hooks.example.com");

    @TempDir
    Path copy;

    private static String standIn(String reference) {
        return "<" + reference + ">";
    }

    private static Map<String, Deployment.Function> read(Path terraform) throws IOException {
        return Deployment.open(terraform, INPUTS, DeploymentTest::standIn).functions().stream()
                .collect(Collectors.toMap(Deployment.Function::name, f -> f));
    }

    @Test
    void readsEachFunctionAsTerraformDeploysIt() throws IOException {
        Map<String, Deployment.Function> functions = read(TERRAFORM);

        assertEquals(10, functions.size());
        Deployment.Function read = functions.get("read-file");
        assertEquals("io.helloserverless.lambda.ReadFileFunction::handleRequest", read.handler());
        assertEquals(1024, read.memoryMb());
        assertEquals(Map.of(
                "LOG_LEVEL", "INFO",
                "JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1",
                "DB_HOST", "<aws_db_instance.main.address>",
                "DB_PORT", "5432",
                "DB_NAME", "files",
                "DB_SSLMODE", "verify-full",
                "DB_SSLROOTCERT", "/opt/rds-ca/global-bundle.pem",
                "DB_SECRET_ARN", "<aws_secretsmanager_secret.db_runtime.arn>"),
                subset(read.environment(), "LOG_LEVEL", "JAVA_TOOL_OPTIONS", "DB_HOST", "DB_PORT", "DB_NAME",
                        "DB_SSLMODE", "DB_SSLROOTCERT", "DB_SECRET_ARN"));
        assertEquals("1048576", read.environment().get("MAX_FILE_BYTES"));
        assertEquals("true", read.environment().get("REDIS_TLS"));
        assertEquals(List.of("aws_lambda_layer_version.rds_ca.arn"), read.layers());
    }

    @Test
    void setsNothingTerraformDoesNotSet() throws IOException {
        Deployment.Function check = read(TERRAFORM).get("synthetic-check");

        assertEquals(Map.of("LOG_LEVEL", "INFO", "JAVA_TOOL_OPTIONS", "-XX:+TieredCompilation -XX:TieredStopAtLevel=1",
                "API_BASE_URL", "https://files.example.com"), check.environment());
        assertTrue(check.layers().isEmpty());
        assertFalse(read(TERRAFORM).get("list-files").environment().containsKey("REDIS_HOST"));
    }

    @Test
    void refusesAReferenceItHasNoStandInFor() throws IOException {
        edit("locals.tf", "DB_NAME        = local.db_name", "DB_NAME        = aws_db_instance.main.db_name");

        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> Deployment.open(copy, INPUTS, reference -> reference.endsWith(".db_name") ? null : "x").functions());
        assertTrue(refused.getMessage().contains("no stand-in for `aws_db_instance.main.db_name`"), refused.getMessage());
    }

    @Test
    void refusesAVariableWithoutAValue() throws IOException {
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> Deployment.open(TERRAFORM, Map.of("webhook_url", "https://x"), DeploymentTest::standIn).functions());
        assertTrue(refused.getMessage().contains("var.domain_name"), refused.getMessage());
    }

    @Test
    void refusesAnEnvironmentMergeItCannotRead() throws IOException {
        edit("functions.tf", "contains(each.value.uses, \"bucket\") ? local.env_groups.bucket : {},",
                "contains(each.value.uses, \"bucket\") ? local.env_groups.db : {},");

        assertThrows(IllegalStateException.class, () -> read(copy));
    }

    private void edit(String file, String from, String to) throws IOException {
        try (Stream<Path> files = Files.list(TERRAFORM)) {
            for (Path source : files.filter(Files::isRegularFile).toList()) {
                Files.copy(source, copy.resolve(source.getFileName()));
            }
        }
        String text = Files.readString(copy.resolve(file));
        assertTrue(text.contains(from), file + " no longer holds " + from);
        Files.writeString(copy.resolve(file), text.replace(from, to));
    }

    private static Map<String, String> subset(Map<String, String> map, String... keys) {
        return Stream.of(keys).filter(map::containsKey).collect(Collectors.toMap(k -> k, map::get));
    }
}
