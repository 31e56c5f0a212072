package io.helloserverless.core.usecase;

import io.helloserverless.core.port.HealthProbe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Probes every dependency at once, each within a deadline. A required dependency that fails
 * makes the service DOWN; an optional one (the cache) only DEGRADED. The report names
 * dependencies by role and gives no host name, version or error text.
 */
public final class CheckHealth {

    public enum Status { OK, DEGRADED, DOWN }

    public record Dependency(String name, boolean required, HealthProbe probe) {
        public Dependency {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(probe, "probe");
        }
    }

    public record Check(String name, boolean up, boolean required, Duration latency) {
    }

    public record Report(Status status, List<Check> checks) {
        public Report {
            checks = List.copyOf(checks);
        }
    }

    private final List<Dependency> dependencies;
    private final Duration deadline;

    public CheckHealth(List<Dependency> dependencies, Duration deadline) {
        this.dependencies = List.copyOf(dependencies);
        this.deadline = Objects.requireNonNull(deadline, "deadline");
    }

    public Report check() {
        // Not try-with-resources: closing would wait for a probe stuck past the deadline.
        ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();
        try {
            long started = System.nanoTime();
            long deadlineNanos = started + deadline.toNanos();
            List<Future<Duration>> running = new ArrayList<>();
            for (Dependency dependency : dependencies) {
                running.add(probes.submit(() -> timed(dependency.probe())));
            }
            List<Check> checks = new ArrayList<>();
            for (int i = 0; i < dependencies.size(); i++) {
                Dependency dependency = dependencies.get(i);
                Future<Duration> probe = running.get(i);
                Duration latency;
                boolean up;
                try {
                    latency = probe.get(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
                    up = true;
                } catch (ExecutionException | TimeoutException e) {
                    latency = Duration.ofNanos(System.nanoTime() - started);
                    up = false;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while checking health", e);
                }
                checks.add(new Check(dependency.name(), up, dependency.required(), latency));
            }
            return new Report(statusOf(checks), checks);
        } finally {
            probes.shutdownNow();
        }
    }

    private static Duration timed(HealthProbe probe) throws Exception {
        long start = System.nanoTime();
        probe.probe();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private static Status statusOf(List<Check> checks) {
        if (checks.stream().anyMatch(c -> !c.up() && c.required())) {
            return Status.DOWN;
        }
        return checks.stream().allMatch(Check::up) ? Status.OK : Status.DEGRADED;
    }
}
