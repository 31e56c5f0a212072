package io.helloserverless.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.alwaysTrue;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.onionArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures.OnionArchitecture;

/**
 * The architecture rules, as functions of the root package so that the same rule that guards
 * the code can be shown failing on a deliberately bad fixture.
 */
final class ArchitectureRules {

    private ArchitectureRules() {
    }

    /** A whitelist: a mistyped or renamed package makes it fail rather than pass. */
    static ArchRule coreDependsOnlyOnTheJdk(String root) {
        return classes().that().resideInAPackage(root + ".core..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(root + ".core..", "java..")
                .because("core is a framework-free library other JVM services embed (docs/design.md, section 2.1)");
    }

    static ArchRule adaptersDoNotDependOnEachOther(String root) {
        return slices().matching(root + ".adapters.(*)..")
                .should().notDependOnEachOther()
                .because("each adapter depends on core and its own library only");
    }

    static ArchRule noPackageCycles(String root) {
        return slices().matching(root + ".(**)")
                .should().beFreeOfCycles();
    }

    static OnionArchitecture dependenciesPointInward(String root) {
        return onionArchitecture()
                .domainModels(root + ".core.domain..")
                .domainServices(root + ".core.port..")
                .applicationServices(root + ".core.usecase..")
                .adapter("postgres", root + ".adapters.postgres..")
                .adapter("redis", root + ".adapters.redis..")
                .adapter("s3", root + ".adapters.s3..")
                .adapter("webhook", root + ".adapters.webhook..")
                // The composition roots wire every ring together; onlyCompositionRootsUseAdapters guards them.
                .ignoreDependency(resideInAnyPackage(root + ".lambda..", root + ".local.."), alwaysTrue())
                .because("dependencies point inward: domain <- ports <- use cases <- adapters");
    }

    /** Only the composition roots (the Lambda functions, the laptop server) put adapters together. */
    static ArchRule onlyCompositionRootsUseAdapters(String root) {
        return noClasses().that().resideOutsideOfPackages(root + ".adapters..", root + ".lambda..", root + ".local..")
                .should().dependOnClassesThat().resideInAPackage(root + ".adapters..")
                .because("the core and the tools know ports, not adapters");
    }
}
