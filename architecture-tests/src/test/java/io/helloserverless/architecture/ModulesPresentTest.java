package io.helloserverless.architecture;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The slice rules pass trivially when a slice is empty, so each package they are meant to guard
 * must actually be on the classpath with classes in it.
 */
class ModulesPresentTest {

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(new ImportOption.DoNotIncludeTests())
            .importPackages("io.helloserverless");

    @ParameterizedTest
    @ValueSource(strings = {
        "io.helloserverless.core.domain",
        "io.helloserverless.core.port",
        "io.helloserverless.core.usecase",
        "io.helloserverless.adapters.postgres",
        "io.helloserverless.adapters.redis",
        "io.helloserverless.adapters.s3",
        "io.helloserverless.adapters.webhook",
        "io.helloserverless.lambda",
        "io.helloserverless.local",
        "io.helloserverless.embedded.s3",
    })
    void theRulesSeeClassesOf(String packageName) {
        assertTrue(PRODUCTION.stream().anyMatch(c -> c.getPackageName().startsWith(packageName)),
                "no production class in " + packageName + ": is the module missing from architecture-tests' dependencies?");
    }
}
