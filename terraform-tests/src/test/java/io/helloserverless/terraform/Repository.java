package io.helloserverless.terraform;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the checked files are: the terraform folder is given by Maven, or found next to this module. */
final class Repository {

    private Repository() {
    }

    static Path terraformDir() {
        String configured = System.getProperty("terraform.dir");
        Path dir = configured != null ? Path.of(configured) : Path.of("..", "terraform");
        if (!Files.isRegularFile(dir.resolve("versions.tf"))) {
            throw new IllegalStateException("No Terraform configuration (versions.tf) at "
                    + dir.toAbsolutePath().normalize() + "; set -Dterraform.dir");
        }
        return dir.toAbsolutePath().normalize();
    }

    static Path root() {
        return terraformDir().getParent();
    }

    static TerraformConfig main() {
        return TerraformConfig.parse(Sources.read(terraformDir(), ".tf"));
    }

    static TerraformConfig bootstrap() {
        return TerraformConfig.parse(Sources.read(terraformDir().resolve("bootstrap"), ".tf"));
    }

    /** A file of the repository, by its path from the root. */
    static String text(String path) {
        try {
            return Files.readString(root().resolve(path));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static Sources workflows() {
        return Sources.read(root().resolve(".github").resolve("workflows"), ".yml");
    }
}
