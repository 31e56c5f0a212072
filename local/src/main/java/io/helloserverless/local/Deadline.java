package io.helloserverless.local;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How long one request may keep its thread waiting on its client: sending the body, taking the
 * response, or the rest of a body left unread that the JDK server drains. When the time is up the
 * serving thread is interrupted; a thread blocked on the exchange's socket channel (an
 * interruptible channel) then has the channel closed under it, so the read or write ends with an
 * exception, the JDK server drops the connection, and the thread is free. The function's own run is
 * not counted ({@link #paused}): its dependencies have their own timeouts, and an interrupt must
 * never reach a database or S3 call.
 *
 * <p>One {@link Watch} per server looks at the running deadlines a few times a second: a request
 * only writes a field and a set entry, where a timer task per request would cost a lock and a
 * wake-up of the timer's thread each time.
 */
final class Deadline {

    /** The interval between two looks at the running deadlines: how late an expiry may come. */
    static final Duration TICK = Duration.ofMillis(100);

    private static final long PAUSED = Long.MAX_VALUE;

    /**
     * The deadline of the request the current thread serves, for the handler to pause: a thread
     * serves one request (the executor starts one per task). Not an exchange attribute: the JDK
     * server keeps those in the context, shared by every request at once.
     */
    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

    private final Watch watch;
    private final Thread thread;
    /** When it expires ({@link System#nanoTime}), or {@link #PAUSED}; written under this object's lock. */
    private long expiresAt = PAUSED;

    private Deadline(Watch watch) {
        this.watch = watch;
        this.thread = Thread.currentThread();
    }

    /** The current thread's deadline, if it serves a request under one. */
    static Deadline current() {
        return CURRENT.get();
    }

    /** Stops it for good and forgets it. */
    void end() {
        disarm();
        watch.running.remove(this);
        CURRENT.remove();
    }

    /** Runs {@code work} with the clock stopped, then starts it afresh (for the response). */
    <T> T paused(Supplier<T> work) {
        disarm();
        try {
            return work.get();
        } finally {
            arm();
        }
    }

    private synchronized void arm() {
        expiresAt = System.nanoTime() + watch.timeout.toNanos();
    }

    /** Stops the clock; called by the served thread, which it leaves without a pending interrupt. */
    private void disarm() {
        synchronized (this) {
            expiresAt = PAUSED;
        }
        // An expiry that came after the last blocking call finished: nothing to end any more.
        Thread.interrupted();
    }

    private synchronized void expireIfDue(long now) {
        if (expiresAt != PAUSED && now - expiresAt >= 0) {
            expiresAt = PAUSED;
            thread.interrupt();
        }
    }

    /** The server's deadlines, all of {@code timeout}, and the thread that ends the expired ones. */
    static final class Watch implements AutoCloseable {

        private final Duration timeout;
        private final Set<Deadline> running = ConcurrentHashMap.newKeySet();
        private final ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor(
                runnable -> Thread.ofPlatform().daemon().name("request-deadlines").unstarted(runnable));

        Watch(Duration timeout) {
            this.timeout = timeout;
            ticks.scheduleWithFixedDelay(this::expireDue, TICK.toNanos(), TICK.toNanos(), TimeUnit.NANOSECONDS);
        }

        /** A deadline for the request the calling thread serves, started now. */
        Deadline start() {
            Deadline deadline = new Deadline(this);
            deadline.arm();
            running.add(deadline);
            CURRENT.set(deadline);
            return deadline;
        }

        private void expireDue() {
            long now = System.nanoTime();
            running.forEach(deadline -> deadline.expireIfDue(now));
        }

        @Override
        public void close() {
            ticks.shutdownNow();
        }
    }
}
