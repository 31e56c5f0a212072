package io.helloserverless.core.testing;

import io.helloserverless.core.domain.ChangeEvent;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.port.ChangeEventOutbox;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The outbox in memory. Events enter it only through {@link InMemoryMetadataStore}, as they do in the database. */
public final class InMemoryChangeEventOutbox implements ChangeEventOutbox {

    private static final class Entry {
        final ChangeEvent event;
        int failedAttempts;
        Instant nextAttemptAt;
        Instant leasedUntil;
        boolean parked;

        Entry(ChangeEvent event) {
            this.event = event;
        }

        boolean dueAt(Instant now) {
            return (nextAttemptAt == null || !nextAttemptAt.isAfter(now))
                    && (leasedUntil == null || !leasedUntil.isAfter(now));
        }
    }

    private final List<Entry> pending = new ArrayList<>();
    private long parked;
    private long lastSequence;

    synchronized void record(ChangeEvent.Type type, FileMetadata revision, Instant occurredAt) {
        pending.add(new Entry(new ChangeEvent(UUID.randomUUID(), type, revision.name(), revision.etag(),
                revision.version(), revision.size(), revision.sha256(), occurredAt, ++lastSequence)));
    }

    @Override
    public synchronized List<Leased> lease(Instant now, int limit, Duration leaseFor) {
        Set<FileName> seen = new HashSet<>();
        List<Leased> leased = new ArrayList<>();
        for (Entry entry : pending) {
            if (leased.size() == limit) {
                break;
            }
            if (seen.add(entry.event.name()) && entry.dueAt(now)) {
                entry.leasedUntil = now.plus(leaseFor);
                leased.add(new Leased(entry.event, entry.failedAttempts));
            }
        }
        return leased;
    }

    @Override
    public synchronized void markDelivered(UUID eventId) {
        pending.removeIf(entry -> entry.event.id().equals(eventId));
    }

    @Override
    public synchronized void recordFailedAttempt(UUID eventId, Instant nextAttemptAt) {
        for (Entry entry : pending) {
            if (entry.event.id().equals(eventId)) {
                entry.failedAttempts++;
                entry.nextAttemptAt = nextAttemptAt;
                entry.leasedUntil = null;
            }
        }
    }

    @Override
    public synchronized void park(UUID eventId) {
        if (pending.removeIf(entry -> entry.event.id().equals(eventId))) {
            parked++;
        }
    }

    @Override
    public synchronized long countParked() {
        return parked;
    }

    @Override
    public synchronized Optional<Instant> oldestPending() {
        return pending.stream().findFirst().map(entry -> entry.event.occurredAt());
    }

    /** Every pending event, leased or not, in order, for assertions. */
    public synchronized List<ChangeEvent> pendingEvents() {
        return pending.stream().map(entry -> entry.event).toList();
    }
}
