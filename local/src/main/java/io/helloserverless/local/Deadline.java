package io.helloserverless.local;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * How long one request may keep its thread waiting on its client: sending the body, taking the
 * response, or the rest of a body left unread that the JDK server drains. When the time is up the
 * serving thread is interrupted; a thread blocked on the exchange's socket channel (an
 * interruptible channel) then has the channel closed under it, so the read or write ends with an
 * exception, the JDK server drops the connection, and the thread is free. The function's own run
 * is not counted ({@link #paused}): its dependencies have their own timeouts, and an interrupt
 * must never reach a database or S3 call.
 */
final class Deadline {

    /**
     * The deadline of the request the current thread serves, for the handler to pause: a thread
     * serves one request (the executor starts one per task). Not an exchange attribute: the JDK
     * server keeps those in the context, shared by every request at once.
     */
    private static final ThreadLocal<Deadline> CURRENT = new ThreadLocal<>();

    private final ScheduledExecutorService timer;
    private final Duration timeout;
    private final Thread thread;
    private ScheduledFuture<?> alarm;
    /** Tells an alarm that went off late (after it was disarmed) from the current one. */
    private long generation;

    /** A deadline for the calling thread, not yet running. */
    Deadline(ScheduledExecutorService timer, Duration timeout) {
        this.timer = timer;
        this.timeout = timeout;
        this.thread = Thread.currentThread();
    }

    /** The current thread's deadline, if it serves a request under one. */
    static Deadline current() {
        return CURRENT.get();
    }

    /** Makes this the current thread's deadline and starts it. */
    void start() {
        CURRENT.set(this);
        arm();
    }

    /** Stops it for good and forgets it. */
    void end() {
        disarm();
        CURRENT.remove();
    }

    /** Starts a full {@code timeout} from now. */
    synchronized void arm() {
        long armed = ++generation;
        alarm = timer.schedule(() -> expire(armed), timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    private synchronized void expire(long armed) {
        if (armed == generation && alarm != null) {
            alarm = null;
            thread.interrupt();
        }
    }

    /** Stops the clock; called by the served thread, which it leaves without a pending interrupt. */
    void disarm() {
        synchronized (this) {
            generation++;
            if (alarm != null) {
                alarm.cancel(false);
                alarm = null;
            }
        }
        // An alarm that went off after the last blocking call finished: nothing to end any more.
        Thread.interrupted();
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
}
