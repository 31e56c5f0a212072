package io.helloserverless.core.usecase;

import static io.helloserverless.core.testing.TestFiles.RETENTION;
import static io.helloserverless.core.testing.TestFiles.T0;
import static io.helloserverless.core.testing.TestFiles.file;
import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.helloserverless.core.domain.ChangeEvent;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.port.ChangeNotifier.Outcome;
import io.helloserverless.core.testing.InMemoryChangeNotifier;
import io.helloserverless.core.testing.InMemoryMetadataStore;
import io.helloserverless.core.testing.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DispatchChangeEventsTest {

    private static final DispatchChangeEvents.Settings SETTINGS = new DispatchChangeEvents.Settings(
            2, 10, 4, Duration.ofSeconds(30), Duration.ofSeconds(100), Duration.ofMinutes(5));

    private final MutableClock clock = new MutableClock(T0);
    private final InMemoryMetadataStore store = new InMemoryMetadataStore();
    private final InMemoryChangeNotifier receiver = new InMemoryChangeNotifier();
    private final DispatchChangeEvents dispatcher =
            new DispatchChangeEvents(store.outbox(), receiver, clock, SETTINGS);

    @Test
    void deliversEveryChangeOnceInTheOrderOfEachFile() {
        FileMetadata a1 = file("a", "1", T0);
        store.insert(a1);
        store.insert(file("b", T0));
        FileMetadata a2 = a1.nextRevision(text("2"), T0, RETENTION);
        store.replace(a1, a2);
        store.delete(a2);

        DispatchChangeEvents.Report report = dispatcher.dispatch();

        assertEquals(new DispatchChangeEvents.Report(4, 0, 0, 0), report);
        assertEquals(List.of("a created", "b created", "a updated", "a deleted"), described(receiver.attempts()));
        assertEquals(List.of(), store.outbox().pendingEvents());
    }

    @Test
    void retriesAFailedEventAfterABackoffAndHoldsTheFilesLaterEventsBack() {
        FileMetadata a1 = file("a", "1", T0);
        store.insert(a1);
        store.replace(a1, a1.nextRevision(text("2"), T0, RETENTION));
        receiver.answer(Outcome.FAILED_RETRYABLY);

        assertEquals(new DispatchChangeEvents.Report(0, 1, 0, 0), dispatcher.dispatch());
        clock.advance(Duration.ofSeconds(29));
        assertEquals(new DispatchChangeEvents.Report(0, 0, 0, 0), dispatcher.dispatch());
        assertEquals(Optional.of(Duration.between(T0, clock.instant())), dispatcher.oldestPendingAge(),
                "the backlog: the first event has waited since it occurred");
        clock.advance(Duration.ofSeconds(1));
        assertEquals(new DispatchChangeEvents.Report(2, 0, 0, 0), dispatcher.dispatch());
        assertEquals(Optional.empty(), dispatcher.oldestPendingAge());

        assertEquals(List.of("a created", "a created", "a updated"), described(receiver.attempts()));
        assertEquals(receiver.attempts().get(0).id(), receiver.attempts().get(1).id());
    }

    @Test
    void doublesTheWaitAfterEachFailureUpToTheCap() {
        assertEquals(List.of(Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(100), Duration.ofSeconds(100)),
                List.of(dispatcher.retryDelay(1), dispatcher.retryDelay(2), dispatcher.retryDelay(3), dispatcher.retryDelay(40)));
    }

    @Test
    void parksAnEventAfterTheMaximumAttemptsAndCountsIt() {
        store.insert(file("a", T0));
        receiver.answer(Outcome.FAILED_RETRYABLY, Outcome.UNAUTHORISED, Outcome.FAILED_RETRYABLY, Outcome.FAILED_RETRYABLY);

        for (int attempt = 1; attempt < 4; attempt++) {
            assertEquals(new DispatchChangeEvents.Report(0, 1, 0, 0), dispatcher.dispatch());
            clock.advance(Duration.ofSeconds(100));
        }
        assertEquals(new DispatchChangeEvents.Report(0, 0, 1, 1), dispatcher.dispatch());

        assertEquals(4, receiver.attempts().size());
        assertEquals(List.of(), store.outbox().pendingEvents());
    }

    @Test
    void parksAnEventTheReceiverRefusesForGood() {
        store.insert(file("a", T0));
        store.insert(file("b", T0));
        receiver.answer(Outcome.REJECTED_PERMANENTLY);

        assertEquals(new DispatchChangeEvents.Report(1, 0, 1, 1), dispatcher.dispatch());
        assertEquals(List.of("b created"), described(receiver.delivered()));
    }

    @Test
    void sendsTheRestOfABatchWithTheSameIdsAfterTheDispatcherDiedMidBatch() {
        for (String name : List.of("a", "b", "c")) {
            store.insert(file(name, T0));
        }
        receiver.dieOnAttempt(2);

        assertThrows(IllegalStateException.class, dispatcher::dispatch);
        clock.advance(SETTINGS.lease());
        dispatcher.dispatch();

        assertEquals(List.of("a created", "b created", "c created"), described(receiver.delivered()));
        assertEquals(List.of(), store.outbox().pendingEvents());
    }

    @Test
    void leavesTheEventsOfADeadRunAloneUntilItsLeaseExpires() {
        store.insert(file("a", T0));
        store.insert(file("b", T0));
        ChangeEvent b = store.outbox().pendingEvents().get(1);
        receiver.dieOnAttempt(2);
        assertThrows(IllegalStateException.class, dispatcher::dispatch);

        assertEquals(new DispatchChangeEvents.Report(0, 0, 0, 0), dispatcher.dispatch());
        clock.advance(SETTINGS.lease());
        dispatcher.dispatch();

        assertEquals(b.id(), receiver.delivered().getLast().id());
    }

    @Test
    void rejectsSettingsWithoutAttempts() {
        assertThrows(IllegalArgumentException.class, () -> new DispatchChangeEvents.Settings(
                1, 1, 0, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMinutes(1)));
    }

    private static List<String> described(List<ChangeEvent> events) {
        return events.stream().map(e -> e.name().value() + " " + e.type().wireName()).toList();
    }
}
