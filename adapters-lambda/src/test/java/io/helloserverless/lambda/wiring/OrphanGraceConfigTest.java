package io.helloserverless.lambda.wiring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The orphan collection's grace period: an hour unless set, and never shorter than a write can be in flight. */
class OrphanGraceConfigTest {

    @Test
    void isAnHourUnlessSet() {
        assertEquals(Duration.ofHours(1), Config.fromEnvironment(Map.of("AWS_REGION", "eu-west-1")).orphanGrace());
        assertEquals(Duration.ofMinutes(10), Config.fromEnvironment(
                Map.of("AWS_REGION", "eu-west-1", "ORPHAN_GRACE_SECONDS", "600")).orphanGrace());
    }

    @Test
    void refusesAGraceShorterThanAWriteCanBeInFlight() {
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> Config.fromEnvironment(
                Map.of("AWS_REGION", "eu-west-1", "ORPHAN_GRACE_SECONDS", "30")));
        assertTrue(refused.getMessage().contains("at least 60 s"), refused.getMessage());
    }

    /**
     * At least twice what a write can be in flight: the timeout of a function that writes files
     * (terraform/locals.tf) plus the statement timeout, for a commit sent at its last instant.
     */
    @Test
    void outlastsTheLongestWriteTwice() throws Exception {
        Map<String, Integer> timeouts = TimeBudgetTest.terraformTimeouts();
        int longestWriter = java.util.stream.Stream.of("create-file", "update-file", "delete-file")
                .mapToInt(timeouts::get).max().orElseThrow();
        Duration inFlight = Duration.ofSeconds(longestWriter).plus(Timeouts.DATABASE_STATEMENT);
        assertTrue(Config.MIN_ORPHAN_GRACE.compareTo(inFlight.multipliedBy(2)) >= 0, inFlight.toString());
    }
}
