package io.helloserverless.lambda.wiring;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import javax.inject.Inject;

/**
 * What the first request of an execution environment would otherwise do one step after another
 * (fetch the database login, connect to PostgreSQL and load jOOQ's rendering, connect to Redis
 * through Netty, build the S3 client), done side by side during init instead. Each step mostly
 * loads its own libraries' classes or waits on its own server, so they overlap well.
 *
 * <p>Only the Lambda entry points (the handlers' no-argument constructors) run it, and only in an
 * on-demand init: the tests and the laptop server build functions whose dependencies may be down
 * on purpose.
 */
public final class Warmup {

    /** One step, contributed by the module that owns the dependency. */
    @FunctionalInterface
    public interface Task {
        void run() throws Exception;

        /** Whether the step only starts work on its own thread and returns at once, not awaited by init. */
        default boolean inBackground() {
            return false;
        }

        /**
         * A step that starts work on its own thread and returns: no request waits for it as a
         * whole, and it would only compete with init for the CPU (Lambda gives well under one core).
         * A function starts it at init, or after its first response if that request never needs it
         * ({@link io.helloserverless.lambda.ApiHandler}).
         */
        static Task inBackground(Runnable step) {
            return new Task() {
                @Override
                public void run() {
                    step.run();
                }

                @Override
                public boolean inBackground() {
                    return true;
                }
            };
        }
    }

    /** Well inside Lambda's 10 s init limit; what is not done by then the first request finishes. */
    static final Duration DEADLINE = Duration.ofSeconds(5);

    private final Set<Task> tasks;

    @Inject
    public Warmup(Set<Task> tasks) {
        this.tasks = Set.copyOf(tasks);
    }

    /**
     * Not while SnapStart takes its snapshot: connections opened then would be restored long dead
     * (a dead Redis connection would open the cache's circuit breaker for its first 10 s).
     */
    public static boolean wantedAtInit() {
        return !"snap-start".equals(System.getenv("AWS_LAMBDA_INITIALIZATION_TYPE"));
    }

    /** Runs the steps init waits for, side by side, for at most {@link #DEADLINE}. */
    public void run() {
        List<Thread> threads = tasks.stream()
                .filter(task -> !task.inBackground())
                .map(task -> Thread.ofPlatform().daemon().name("warmup").start(() -> {
                    try {
                        task.run();
                    } catch (Exception e) {
                        // Not an init failure: the first request meets the same failure and reports
                        // it where failures belong (problem details, the request's log line).
                    }
                }))
                .toList();
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        try {
            for (Thread thread : threads) {
                long left = deadline - System.nanoTime();
                if (left > 0) {
                    thread.join(Duration.ofNanos(left));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the background steps (each returns at once); starting them again does nothing more. */
    public void startInBackground() {
        for (Task task : tasks) {
            if (task.inBackground()) {
                try {
                    task.run();
                } catch (Exception e) {
                    // as at init: whatever needs the dependency meets the failure and reports it
                }
            }
        }
    }
}
