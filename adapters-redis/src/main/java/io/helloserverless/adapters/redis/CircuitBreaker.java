package io.helloserverless.adapters.redis;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Skips a dependency for {@code openTime} after it failed, then lets a single trial call through:
 * its success closes the breaker, its failure opens it again. Time is read from a monotonic
 * nanosecond source, so wall-clock jumps cannot keep it open or closed.
 */
final class CircuitBreaker {

    private static final long CLOSED = Long.MIN_VALUE;

    private final long openNanos;
    private final LongSupplier nanoTime;
    private final AtomicLong openUntil = new AtomicLong(CLOSED);

    CircuitBreaker(Duration openTime, LongSupplier nanoTime) {
        this.openNanos = openTime.toNanos();
        this.nanoTime = nanoTime;
    }

    /** Whether a call may go to the dependency now; at most one caller wins each trial. */
    boolean tryAcquire() {
        long until = openUntil.get();
        if (until == CLOSED) {
            return true;
        }
        long now = nanoTime.getAsLong();
        return now - until >= 0 && openUntil.compareAndSet(until, now + openNanos);
    }

    /** Whether calls are being skipped now (without taking the trial a {@link #tryAcquire} would take). */
    boolean isOpen() {
        long until = openUntil.get();
        return until != CLOSED && nanoTime.getAsLong() - until < 0;
    }

    /** Records a successful call; returns whether that closed an open breaker. */
    boolean succeeded() {
        return openUntil.getAndSet(CLOSED) != CLOSED;
    }

    /** Records a failed call; returns whether that opened a closed breaker. */
    boolean failed() {
        return openUntil.getAndSet(nanoTime.getAsLong() + openNanos) == CLOSED;
    }
}
