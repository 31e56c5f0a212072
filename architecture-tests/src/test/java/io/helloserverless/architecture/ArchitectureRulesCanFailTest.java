package io.helloserverless.architecture;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Each rule, applied to the deliberately bad classes under {@code archfixtures.violations},
 * reports the violation it exists for. A rule that cannot fail here would guard nothing.
 */
class ArchitectureRulesCanFailTest {

    private static final String FIXTURES = "io.helloserverless.archfixtures.violations";
    private static final JavaClasses BAD = new ClassFileImporter().importPackages(FIXTURES);

    private static String violationsOf(ArchRule rule) {
        EvaluationResult result = rule.evaluate(BAD);
        assertTrue(result.hasViolation(), "expected the rule to fail on the fixture: " + rule.getDescription());
        return String.join("\n", result.getFailureReport().getDetails());
    }

    @Test
    void coreRuleCatchesACoreClassUsingAnAdapterOrAFrameworkAnnotation() {
        String violations = violationsOf(ArchitectureRules.coreDependsOnlyOnTheJdk(FIXTURES));

        assertTrue(violations.contains("LeakyUseCase") && violations.contains("RawS3Blob"), violations);
        assertTrue(violations.contains("org.junit.jupiter.api.Tag"), violations);
    }

    @Test
    void adapterRuleCatchesOneAdapterUsingAnother() {
        String violations = violationsOf(ArchitectureRules.adaptersDoNotDependOnEachOther(FIXTURES));

        assertTrue(violations.contains("CacheThatReadsS3") && violations.contains("RawS3Blob"), violations);
    }

    @Test
    void cycleRuleCatchesAPackageCycle() {
        String violations = violationsOf(ArchitectureRules.noPackageCycles(FIXTURES));

        assertTrue(violations.contains("cycle.a") && violations.contains("cycle.b"), violations);
    }

    @Test
    void onionRuleCatchesTheDomainReachingOutward() {
        // Only the domain and use-case rings exist in the fixture, hence optional layers here.
        String violations = violationsOf(ArchitectureRules.dependenciesPointInward(FIXTURES).withOptionalLayers(true));

        assertTrue(violations.contains("FileRecord") && violations.contains("SaveFile"), violations);
    }

    @Test
    void compositionRootRuleCatchesAToolUsingAnAdapter() {
        String violations = violationsOf(ArchitectureRules.onlyCompositionRootsUseAdapters(FIXTURES));

        assertTrue(violations.contains("LeakyUseCase") && violations.contains("RawS3Blob"), violations);
    }

    @Test
    void aRuleAimedAtAPackageThatDoesNotExistFailsInsteadOfPassing() {
        ArchRule typo = ArchitectureRules.coreDependsOnlyOnTheJdk("io.helloserverless.no.such.root");

        assertThrows(AssertionError.class, () -> typo.check(BAD));
    }

    @Test
    void theFixturesThemselvesAreNotPartOfTheProductionRules() {
        // The production rules import with DoNotIncludeTests; the fixtures live in test sources.
        JavaClasses production = new ClassFileImporter()
                .withImportOption(new ImportOption.DoNotIncludeTests())
                .importPackages(FIXTURES);
        assertFalse(production.iterator().hasNext());
        assertFalse(List.copyOf(BAD).isEmpty());
    }
}
