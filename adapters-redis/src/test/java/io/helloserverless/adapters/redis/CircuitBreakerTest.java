package io.helloserverless.adapters.redis;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CircuitBreakerTest {

    private long nanos = 1_000;
    private final CircuitBreaker breaker = new CircuitBreaker(Duration.ofSeconds(10), () -> nanos);

    private void advance(Duration duration) {
        nanos += duration.toNanos();
    }

    @Test
    void letsCallsThroughWhileNothingFailed() {
        assertTrue(breaker.tryAcquire());
        assertTrue(breaker.tryAcquire());
    }

    @Test
    void skipsCallsForTheOpenTimeAfterAFailure() {
        assertTrue(breaker.failed());

        assertFalse(breaker.tryAcquire());
        advance(Duration.ofSeconds(9));
        assertFalse(breaker.tryAcquire());
    }

    @Test
    void letsASingleTrialThroughOnceTheOpenTimeHasPassed() {
        breaker.failed();
        advance(Duration.ofSeconds(10));

        assertTrue(breaker.tryAcquire());
        assertFalse(breaker.tryAcquire());
    }

    @Test
    void closesAfterASuccessfulTrial() {
        breaker.failed();
        advance(Duration.ofSeconds(10));
        breaker.tryAcquire();

        assertTrue(breaker.succeeded());

        assertTrue(breaker.tryAcquire());
        assertTrue(breaker.tryAcquire());
    }

    @Test
    void opensAgainAfterAFailedTrial() {
        breaker.failed();
        advance(Duration.ofSeconds(10));
        breaker.tryAcquire();

        assertFalse(breaker.failed());

        advance(Duration.ofSeconds(9));
        assertFalse(breaker.tryAcquire());
        advance(Duration.ofSeconds(1));
        assertTrue(breaker.tryAcquire());
    }

    @Test
    void reportsOnlyTheChangesOfState() {
        assertFalse(breaker.succeeded());
        assertTrue(breaker.failed());
        assertFalse(breaker.failed());
        assertTrue(breaker.succeeded());
    }
}
