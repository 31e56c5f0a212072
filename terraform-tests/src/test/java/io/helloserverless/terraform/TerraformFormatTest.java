package io.helloserverless.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code terraform fmt -check -recursive} over the terraform folder. On a machine without the
 * binary (it cannot be installed from the package registries every machine here reaches) it is
 * reported as skipped; GitHub Actions sets {@code REQUIRE_TERRAFORM=true}, and there a missing
 * binary fails the build.
 */
class TerraformFormatTest {

    @Test
    void theConfigurationIsFormatted() throws Exception {
        Result result = fmtCheck(Repository.terraformDir());
        assertEquals(0, result.exitCode(), () -> "terraform fmt -check -recursive lists unformatted files:\n" + result.output());
    }

    @Test
    void reportsAnUnformattedFile(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("unformatted.tf"), "locals {\n  a=1\n  long_name = 2\n}\n");
        Result result = fmtCheck(dir);
        assertNotEquals(0, result.exitCode(), "terraform fmt -check accepted an unformatted file");
        assertTrue(result.output().contains("unformatted.tf"), result::output);
    }

    private record Result(int exitCode, String output) {
    }

    private static Result fmtCheck(Path dir) throws IOException, InterruptedException {
        Path terraform = terraformBinary().orElseGet(() -> {
            if ("true".equals(System.getenv("REQUIRE_TERRAFORM"))) {
                fail("terraform is not on the PATH; REQUIRE_TERRAFORM=true says this check may not be skipped here");
            }
            Assumptions.abort("terraform is not installed here; GitHub Actions runs this check");
            return null;
        });
        Process process = new ProcessBuilder(terraform.toString(), "fmt", "-check", "-recursive", "-no-color", dir.toString())
                .redirectErrorStream(true)
                .start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("terraform fmt did not finish within 60 s");
        }
        return new Result(process.exitValue(), new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static Optional<Path> terraformBinary() {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Arrays.stream(path.split(File.pathSeparator))
                .map(entry -> Path.of(entry, "terraform"))
                .filter(Files::isExecutable)
                .findFirst();
    }
}
