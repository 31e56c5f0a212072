package io.helloserverless.core.usecase;

import io.helloserverless.core.domain.ChangeEvent;
import io.helloserverless.core.port.ChangeEventOutbox;
import io.helloserverless.core.port.ChangeNotifier;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Delivers the pending change events to the remote service, at least once each, in order per
 * file: a batch holds at most the earliest pending event of each file, and the next event of a
 * file is leased only after the earlier one was delivered or parked. A failed attempt is retried
 * after an exponential backoff with a cap; after {@code maxAttempts} failures (or a permanent
 * refusal) the event is parked and counted. A run that dies leaves its leased events to expire
 * and be sent again, with the same id, by the next run.
 */
public final class DispatchChangeEvents {

    /**
     * How a run goes. {@code lease} must outlast the sending of a whole batch (each send is
     * bounded by the notifier's timeouts), or another run may send the same event concurrently.
     */
    public record Settings(int batchSize, int maxBatches, int maxAttempts,
                           Duration firstRetryDelay, Duration maxRetryDelay, Duration lease) {
        public Settings {
            if (batchSize < 1 || maxBatches < 1 || maxAttempts < 1) {
                throw new IllegalArgumentException("batchSize, maxBatches and maxAttempts must be positive");
            }
            if (firstRetryDelay.isNegative() || firstRetryDelay.isZero() || maxRetryDelay.compareTo(firstRetryDelay) < 0) {
                throw new IllegalArgumentException("retry delays must be positive, the cap not below the first");
            }
            Objects.requireNonNull(lease, "lease");
        }

        /**
         * 10 events a batch, 50 batches a run; 10 attempts, 30 s doubling to at most 1 h apart
         * (about 5 hours in all); a 5 minute lease.
         */
        public static Settings defaults() {
            return new Settings(10, 50, 10, Duration.ofSeconds(30), Duration.ofHours(1), Duration.ofMinutes(5));
        }
    }

    /** What one run did, and how many events are parked in all (the figure alarmed on). */
    public record Report(int delivered, int retried, int parked, long parkedInAll) {
    }

    private final ChangeEventOutbox outbox;
    private final ChangeNotifier notifier;
    private final Clock clock;
    private final Settings settings;

    public DispatchChangeEvents(ChangeEventOutbox outbox, ChangeNotifier notifier, Clock clock, Settings settings) {
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.notifier = Objects.requireNonNull(notifier, "notifier");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.settings = Objects.requireNonNull(settings, "settings");
    }

    public Report dispatch() {
        int delivered = 0;
        int retried = 0;
        int parked = 0;
        for (int batch = 0; batch < settings.maxBatches(); batch++) {
            List<ChangeEventOutbox.Leased> leased = outbox.lease(clock.instant(), settings.batchSize(), settings.lease());
            if (leased.isEmpty()) {
                break;
            }
            for (ChangeEventOutbox.Leased entry : leased) {
                ChangeEvent event = entry.event();
                switch (notifier.send(event)) {
                    case DELIVERED -> {
                        outbox.markDelivered(event.id());
                        delivered++;
                    }
                    case REJECTED_PERMANENTLY -> {
                        outbox.park(event.id());
                        parked++;
                    }
                    case FAILED_RETRYABLY, UNAUTHORISED -> {
                        int failures = entry.failedAttempts() + 1;
                        if (failures >= settings.maxAttempts()) {
                            outbox.park(event.id());
                            parked++;
                        } else {
                            outbox.recordFailedAttempt(event.id(), clock.instant().plus(retryDelay(failures)));
                            retried++;
                        }
                    }
                }
            }
        }
        return new Report(delivered, retried, parked, outbox.countParked());
    }

    /** How long the earliest pending event has waited: the backlog an operator alarms on. */
    public Optional<Duration> oldestPendingAge() {
        return outbox.oldestPending().map(occurred -> Duration.between(occurred, clock.instant()));
    }

    /** The wait after the {@code failures}-th failed attempt: the first delay, doubled each time, capped. */
    Duration retryDelay(int failures) {
        Duration delay = settings.firstRetryDelay();
        for (int i = 1; i < failures && delay.compareTo(settings.maxRetryDelay()) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(settings.maxRetryDelay()) > 0 ? settings.maxRetryDelay() : delay;
    }
}
