package io.helloserverless.core.port;

import io.helloserverless.core.domain.ChangeEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The change events that the {@link MetadataStore} recorded with each change and that are still
 * to be delivered. An event is pending until it is delivered or parked. Failures are reported as
 * {@link io.helloserverless.core.domain.DependencyFailureException}.
 */
public interface ChangeEventOutbox {

    /** A leased event and how many attempts to deliver it have failed so far. */
    record Leased(ChangeEvent event, int failedAttempts) {
    }

    /**
     * Leases up to {@code limit} due events, in the order of their sequence, for
     * {@code leaseFor}. Only the earliest pending event of each file can be leased, so a later
     * change of a file is never handed out while an earlier one is pending. An event is due when
     * its next attempt time has come and nobody holds an unexpired lease on it; two callers never
     * hold the same event at once, and the lease of a caller that died expires, so the next caller
     * gets the event again (with the same id).
     */
    List<Leased> lease(Instant now, int limit, Duration leaseFor);

    /** The event reached its receiver: it is no longer pending. */
    void markDelivered(UUID eventId);

    /** An attempt failed: the event is released, and due again at {@code nextAttemptAt}. */
    void recordFailedAttempt(UUID eventId, Instant nextAttemptAt);

    /** Gives up on the event: it is no longer pending, and counted among the parked ones. */
    void park(UUID eventId);

    /** How many events were given up on. */
    long countParked();

    /** When the earliest event still pending (neither delivered nor parked) occurred; empty when none is. */
    Optional<Instant> oldestPending();
}
