package io.helloserverless.architecture;

import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_FIELD_INJECTION;
import static com.tngtech.archunit.library.GeneralCodingRules.NO_CLASSES_SHOULD_USE_JODATIME;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The rules over the production classes of every module (test classes left out). */
@AnalyzeClasses(packages = "io.helloserverless", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    private static final String ROOT = "io.helloserverless";

    @ArchTest
    static final ArchRule coreDependsOnlyOnTheJdk = ArchitectureRules.coreDependsOnlyOnTheJdk(ROOT);

    @ArchTest
    static final ArchRule adaptersDoNotDependOnEachOther = ArchitectureRules.adaptersDoNotDependOnEachOther(ROOT);

    @ArchTest
    static final ArchRule noPackageCycles = ArchitectureRules.noPackageCycles(ROOT);

    @ArchTest
    static final ArchRule dependenciesPointInward = ArchitectureRules.dependenciesPointInward(ROOT);

    @ArchTest
    static final ArchRule onlyCompositionRootsUseAdapters = ArchitectureRules.onlyCompositionRootsUseAdapters(ROOT);

    @ArchTest
    static final ArchRule noGenericExceptions = NO_CLASSES_SHOULD_THROW_GENERIC_EXCEPTIONS;

    @ArchTest
    static final ArchRule noFieldInjection = NO_CLASSES_SHOULD_USE_FIELD_INJECTION
            .because("Dagger components use constructor injection (STYLE: no inject(this))");

    @ArchTest
    static final ArchRule noJodaTime = NO_CLASSES_SHOULD_USE_JODATIME;
}
