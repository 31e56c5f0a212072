package io.helloserverless.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

/** Assertions on what a rule finds. */
final class Findings {

    private Findings() {
    }

    static void assertNone(List<String> findings) {
        assertEquals(List.of(), findings, "the configuration breaks the rule");
    }

    static void assertReported(List<String> findings, String expected) {
        assertTrue(findings.stream().anyMatch(finding -> finding.contains(expected)),
                () -> "expected a finding containing \"" + expected + "\", got " + findings);
    }
}
