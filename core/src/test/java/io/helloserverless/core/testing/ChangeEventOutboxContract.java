package io.helloserverless.core.testing;

import static io.helloserverless.core.testing.TestFiles.RETENTION;
import static io.helloserverless.core.testing.TestFiles.T0;
import static io.helloserverless.core.testing.TestFiles.file;
import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.core.domain.ChangeEvent;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.port.ChangeEventOutbox;
import io.helloserverless.core.port.ChangeEventOutbox.Leased;
import io.helloserverless.core.port.MetadataStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * What every {@link ChangeEventOutbox} must do. Events enter the outbox only with the changes
 * of the {@link MetadataStore} it belongs to, so the tests make them through {@link #store()}.
 * Both are empty at the start of each test.
 */
public abstract class ChangeEventOutboxContract {

    protected abstract MetadataStore store();

    protected abstract ChangeEventOutbox outbox();

    private static final Instant NOW = T0.plus(Duration.ofHours(1));
    private static final Duration LEASE = Duration.ofMinutes(5);

    @Test
    void leasesEventsInTheOrderTheyWereRecorded() {
        store().insert(file("b.txt", T0));
        store().insert(file("a.txt", T0));
        store().insert(file("c.txt", T0));

        List<String> names = lease(NOW, 10).stream().map(l -> l.event().name().value()).toList();

        assertEquals(List.of("b.txt", "a.txt", "c.txt"), names);
    }

    @Test
    void tellsWhenTheOldestPendingEventOccurred() {
        assertEquals(Optional.empty(), outbox().oldestPending());
        store().insert(file("a.txt", T0));
        store().insert(file("b.txt", T0.plusSeconds(30)));

        assertEquals(Optional.of(T0), outbox().oldestPending());
        outbox().markDelivered(lease(NOW, 1).getFirst().event().id());
        assertEquals(Optional.of(T0.plusSeconds(30)), outbox().oldestPending());
        outbox().park(lease(NOW, 1).getFirst().event().id());
        assertEquals(Optional.empty(), outbox().oldestPending(), "a parked event is no longer pending");
    }

    @Test
    void leasesNoMoreThanTheLimit() {
        for (int i = 0; i < 5; i++) {
            store().insert(file("f" + i, T0));
        }

        assertEquals(3, lease(NOW, 3).size());
        assertEquals(2, lease(NOW, 3).size());
    }

    @Test
    void holdsALaterEventOfAFileBackUntilTheEarlierOneIsDelivered() {
        FileMetadata v1 = file("a.txt", "v1", T0);
        store().insert(v1);
        store().replace(v1, v1.nextRevision(text("v2"), NOW, RETENTION));
        store().insert(file("b.txt", T0));

        List<Leased> first = lease(NOW, 10);
        assertEquals(List.of(ChangeEvent.Type.CREATED, ChangeEvent.Type.CREATED), types(first));
        outbox().markDelivered(first.getFirst().event().id());

        List<Leased> second = lease(NOW, 10);
        assertEquals(List.of(ChangeEvent.Type.UPDATED), types(second));
        assertEquals(2, second.getFirst().event().version());
    }

    @Test
    void holdsALaterEventOfAFileBackWhileTheEarlierOneWaitsForItsRetry() {
        FileMetadata v1 = file("a.txt", "v1", T0);
        store().insert(v1);
        store().replace(v1, v1.nextRevision(text("v2"), NOW, RETENTION));
        UUID created = lease(NOW, 10).getFirst().event().id();

        outbox().recordFailedAttempt(created, NOW.plusSeconds(60));

        assertEquals(List.of(), lease(NOW.plusSeconds(59), 10));
        List<Leased> retried = lease(NOW.plusSeconds(60), 10);
        assertEquals(created, retried.getFirst().event().id());
        assertEquals(1, retried.getFirst().failedAttempts());
    }

    @Test
    void neverLeasesAnEventThatIsLeasedAlready() {
        store().insert(file("a.txt", T0));

        assertEquals(1, lease(NOW, 10).size());
        assertEquals(List.of(), lease(NOW.plus(LEASE).minusMillis(1), 10));
    }

    @Test
    void leasesTheSameEventAgainOnceTheLeaseOfADeadCallerExpires() {
        store().insert(file("a.txt", T0));
        ChangeEvent first = lease(NOW, 10).getFirst().event();

        List<Leased> again = lease(NOW.plus(LEASE), 10);

        assertEquals(List.of(first), again.stream().map(Leased::event).toList());
        assertEquals(0, again.getFirst().failedAttempts());
    }

    @Test
    void forgetsADeliveredEvent() {
        store().insert(file("a.txt", T0));
        outbox().markDelivered(lease(NOW, 10).getFirst().event().id());

        assertEquals(List.of(), lease(NOW.plus(LEASE), 10));
        assertEquals(0, outbox().countParked());
    }

    @Test
    void countsParkedEventsAndLetsTheFileMoveOn() {
        FileMetadata v1 = file("a.txt", "v1", T0);
        store().insert(v1);
        store().replace(v1, v1.nextRevision(text("v2"), NOW, RETENTION));

        outbox().park(lease(NOW, 10).getFirst().event().id());

        assertEquals(1, outbox().countParked());
        assertEquals(List.of(ChangeEvent.Type.UPDATED), types(lease(NOW, 10)));
    }

    @Test
    void givesEachOfManyRacingCallersDifferentEvents() throws Exception {
        int files = 40;
        for (int i = 0; i < files; i++) {
            store().insert(file(String.format("f%02d", i), T0));
        }
        int callers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            List<Future<List<UUID>>> outcomes = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    List<UUID> ids = new ArrayList<>();
                    List<Leased> batch;
                    while (!(batch = outbox().lease(NOW, 3, LEASE)).isEmpty()) {
                        batch.forEach(l -> ids.add(l.event().id()));
                    }
                    return ids;
                }));
            }
            start.countDown();
            List<UUID> all = new ArrayList<>();
            for (Future<List<UUID>> outcome : outcomes) {
                all.addAll(outcome.get());
            }
            Set<UUID> distinct = new HashSet<>(all);
            assertEquals(files, all.size(), "every event leased once");
            assertEquals(files, distinct.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void givesEveryEventItsOwnId() {
        FileMetadata v1 = file("a.txt", "v1", T0);
        store().insert(v1);
        FileMetadata v2 = v1.nextRevision(text("v2"), NOW, RETENTION);
        store().replace(v1, v2);
        store().delete(v2);

        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            Leased leased = lease(NOW, 10).getFirst();
            ids.add(leased.event().id());
            outbox().markDelivered(leased.event().id());
        }
        assertEquals(3, ids.size());
        assertTrue(lease(NOW, 10).isEmpty());
    }

    private List<Leased> lease(Instant now, int limit) {
        return outbox().lease(now, limit, LEASE);
    }

    private static List<ChangeEvent.Type> types(List<Leased> leased) {
        return leased.stream().map(l -> l.event().type()).toList();
    }
}
