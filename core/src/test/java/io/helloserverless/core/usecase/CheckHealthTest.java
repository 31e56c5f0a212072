package io.helloserverless.core.usecase;

import io.helloserverless.core.domain.DependencyFailureException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.core.usecase.CheckHealth.Dependency;
import io.helloserverless.core.usecase.CheckHealth.Report;
import io.helloserverless.core.usecase.CheckHealth.Status;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckHealthTest {

    private static final Dependency UP = new Dependency("database", true, () -> { });

    private static Report check(Dependency... dependencies) {
        return new CheckHealth(List.of(dependencies), Duration.ofMillis(500)).check();
    }

    @Test
    void isOkWhenEveryDependencyAnswers() {
        Report report = check(UP, new Dependency("cache", false, () -> { }));

        assertEquals(Status.OK, report.status());
        assertEquals(List.of("database", "cache"), report.checks().stream().map(CheckHealth.Check::name).toList());
        assertTrue(report.checks().stream().allMatch(CheckHealth.Check::up));
    }

    @Test
    void isDegradedWhenOnlyAnOptionalDependencyFails() {
        Report report = check(UP, new Dependency("cache", false, () -> { throw new IllegalStateException("down"); }));

        assertEquals(Status.DEGRADED, report.status());
        assertFalse(report.checks().get(1).up());
    }

    @Test
    void isDownWhenARequiredDependencyFails() {
        Report report = check(new Dependency("storage", true, () -> { throw new DependencyFailureException("storage", "refused"); }), UP);

        assertEquals(Status.DOWN, report.status());
    }

    @Test
    void countsAProbeThatHangsPastTheDeadlineAsDown() {
        long start = System.nanoTime();
        Report report = check(UP, new Dependency("storage", true, CheckHealthTest::hang));

        assertEquals(Status.DOWN, report.status());
        assertFalse(report.checks().get(1).up());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(30).toNanos(), "the deadline, not the probe, ends the check");
    }

    private static void hang() {
        try {
            Thread.sleep(60_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
