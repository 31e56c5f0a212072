package io.helloserverless.core.testing;

import static io.helloserverless.core.testing.TestFiles.RETENTION;
import static io.helloserverless.core.testing.TestFiles.T0;
import static io.helloserverless.core.testing.TestFiles.file;
import static io.helloserverless.core.testing.TestFiles.name;
import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.ChangeEvent;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.port.ChangeEventOutbox;
import io.helloserverless.core.port.MetadataStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
 * What every {@link MetadataStore} must do. The in-memory fake and the PostgreSQL adapter both
 * run it, so the fake cannot drift from the real thing. {@link #store()} is empty at the start
 * of each test, and so is {@link #outbox()}, through which the tests read the change events the
 * store records.
 */
public abstract class MetadataStoreContract {

    protected abstract MetadataStore store();

    /** The outbox of the same database as {@link #store()}. */
    protected abstract ChangeEventOutbox outbox();

    private static final Instant LATER = T0.plus(Duration.ofHours(1));
    private static final Instant AFTER_EXPIRY = T0.plus(RETENTION);
    private static final UUID NO_ID = new UUID(0, 0);

    @Test
    void findsAFileExactlyAsItWasInserted() {
        FileMetadata file = file("réport 2026 ✓.txt", "hello", T0);

        assertTrue(store().insert(file));

        assertEquals(Optional.of(file), store().findLive(file.name(), LATER));
    }

    @Test
    void findsNothingUnderANameNeverUsed() {
        assertEquals(Optional.empty(), store().findLive(name("missing"), T0));
    }

    @Test
    void refusesToInsertANameALiveFileHas() {
        FileMetadata first = file("a.txt", "first", T0);
        store().insert(first);

        assertFalse(store().insert(file("a.txt", "second", LATER)));
        assertEquals(Optional.of(first), store().findLive(first.name(), LATER));
    }

    @Test
    void hidesAFileFromTheInstantItExpires() {
        FileMetadata file = file("a.txt", T0);
        store().insert(file);

        assertTrue(store().findLive(file.name(), AFTER_EXPIRY.minusMillis(1)).isPresent());
        assertEquals(Optional.empty(), store().findLive(file.name(), AFTER_EXPIRY));
    }

    @Test
    void insertsOverAnExpiredFileOfTheSameName() {
        store().insert(file("a.txt", "old", T0));
        FileMetadata fresh = file("a.txt", "new", AFTER_EXPIRY);

        assertTrue(store().insert(fresh));
        assertEquals(Optional.of(fresh), store().findLive(fresh.name(), AFTER_EXPIRY));
    }

    @Test
    void replacesTheRevisionItWasGiven() {
        FileMetadata current = file("a.txt", "v1", T0);
        store().insert(current);
        FileMetadata next = current.nextRevision(text("v2"), LATER, RETENTION);

        assertTrue(store().replace(current, next));
        assertEquals(Optional.of(next), store().findLive(current.name(), LATER));
    }

    @Test
    void refusesToReplaceAStaleRevision() {
        FileMetadata v1 = file("a.txt", "v1", T0);
        store().insert(v1);
        FileMetadata v2 = v1.nextRevision(text("v2"), LATER, RETENTION);
        store().replace(v1, v2);

        assertFalse(store().replace(v1, v1.nextRevision(text("lost update"), LATER, RETENTION)));
        assertEquals(Optional.of(v2), store().findLive(v1.name(), LATER));
    }

    @Test
    void refusesToReplaceARevisionOfTheSameVersionFromAnEarlierLifeOfTheName() {
        FileMetadata earlier = file("a.txt", "first life", T0);
        store().insert(earlier);
        store().delete(earlier);
        FileMetadata recreated = file("a.txt", "second life", LATER);
        store().insert(recreated);

        assertFalse(store().replace(earlier, earlier.nextRevision(text("x"), LATER, RETENTION)));
        assertEquals(Optional.of(recreated), store().findLive(recreated.name(), LATER));
    }

    @Test
    void refusesToReplaceAFileThatHasExpired() {
        FileMetadata current = file("a.txt", T0);
        store().insert(current);

        assertFalse(store().replace(current, current.nextRevision(text("too late"), AFTER_EXPIRY, RETENTION)));
    }

    @Test
    void deletesOnlyTheRevisionItWasGiven() {
        FileMetadata v1 = file("a.txt", "v1", T0);
        store().insert(v1);
        FileMetadata v2 = v1.nextRevision(text("v2"), LATER, RETENTION);
        store().replace(v1, v2);

        assertFalse(store().delete(v1));
        assertTrue(store().findLive(v1.name(), LATER).isPresent());
        assertTrue(store().delete(v2));
        assertEquals(Optional.empty(), store().findLive(v1.name(), LATER));
    }

    @Test
    void listsNamesInTheOrderOfTheirUtf8Bytes() {
        // UTF-8 byte order, which differs from Java's UTF-16 order for the last two.
        List<String> expected = List.of("B", "a", "z", "é", "€", "\uFFFD", "😀");
        for (String n : List.of("😀", "z", "\uFFFD", "a", "€", "B", "é")) {
            store().insert(file(n, T0));
        }

        assertEquals(expected, names(store().listLive("", Optional.empty(), 100, LATER)));
    }

    @Test
    void listsOnlyNamesThatStartWithThePrefixTakenLiterally() {
        for (String n : List.of("50%_off.txt", "50x_off.txt", "50%-off.txt", "a_b", "axb", "a!b")) {
            store().insert(file(n, T0));
        }

        assertEquals(List.of("50%_off.txt"), names(store().listLive("50%_", Optional.empty(), 100, LATER)));
        assertEquals(List.of("a_b"), names(store().listLive("a_", Optional.empty(), 100, LATER)));
        assertEquals(List.of(), names(store().listLive("b", Optional.empty(), 100, LATER)));
    }

    @Test
    void pagesOnFromTheLastNameOfThePreviousPage() {
        for (String n : List.of("a", "b", "c", "d", "e")) {
            store().insert(file(n, T0));
        }

        assertEquals(List.of("a", "b"), names(store().listLive("", Optional.empty(), 2, LATER)));
        assertEquals(List.of("c", "d"), names(store().listLive("", Optional.of(name("b")), 2, LATER)));
        assertEquals(List.of("e"), names(store().listLive("", Optional.of(name("d")), 2, LATER)));
    }

    @Test
    void leavesExpiredFilesOutOfListings() {
        store().insert(file("old", T0));
        store().insert(file("new", T0.plus(Duration.ofDays(10))));

        assertEquals(List.of("new"), names(store().listLive("", Optional.empty(), 10, AFTER_EXPIRY)));
    }

    @Test
    void purgesExpiredFilesInBatchesAndKeepsLiveOnes() {
        for (int i = 0; i < 5; i++) {
            store().insert(file("old-" + i, T0));
        }
        store().insert(file("live", T0.plus(Duration.ofDays(10))));

        assertEquals(3, store().purgeExpired(AFTER_EXPIRY, 3).size());
        List<FileMetadata> rest = store().purgeExpired(AFTER_EXPIRY, 3);
        assertEquals(2, rest.size());
        assertTrue(rest.stream().allMatch(f -> f.name().value().startsWith("old-")));
        assertEquals(List.of(), store().purgeExpired(AFTER_EXPIRY, 3));
        assertTrue(store().findLive(name("live"), AFTER_EXPIRY).isPresent());
    }

    @Test
    void tellsWhichBlobsAStoredFileStillPointsAt() {
        FileMetadata live = file("live", T0);
        FileMetadata v1 = file("replaced", "v1", T0);
        FileMetadata v2 = v1.nextRevision(text("v2"), LATER, RETENTION);
        FileMetadata deleted = file("deleted", T0);
        FileMetadata expired = file("expired", T0.minus(RETENTION));
        FileMetadata purged = file("purged", T0.minus(RETENTION).minusMillis(1));
        for (FileMetadata file : List.of(live, v1, deleted, expired, purged)) {
            assertTrue(store().insert(file));
        }
        assertTrue(store().replace(v1, v2));
        assertTrue(store().delete(deleted));
        assertEquals(List.of(purged), store().purgeExpired(T0.minusMillis(1), 10));
        BlobKey neverStored = file("never", T0).blobKey();

        Set<BlobKey> referenced = store().referencedBlobs(List.of(live.blobKey(), v1.blobKey(), v2.blobKey(),
                deleted.blobKey(), expired.blobKey(), purged.blobKey(), neverStored));

        assertEquals(Set.of(live.blobKey(), v2.blobKey(), expired.blobKey()), referenced,
                "a live file's, and an expired file's until it is purged");
    }

    @Test
    void checksAFullBatchOfBlobKeysAndAnEmptyOne() {
        FileMetadata stored = file("a.txt", T0);
        store().insert(stored);
        List<BlobKey> keys = new ArrayList<>();
        keys.add(stored.blobKey());
        while (keys.size() < MetadataStore.MAX_BLOB_KEYS_PER_CHECK) {
            keys.add(file("x", T0).blobKey());
        }

        assertEquals(Set.of(stored.blobKey()), store().referencedBlobs(keys));
        assertEquals(Set.of(), store().referencedBlobs(List.of()));
    }

    @Test
    void letsExactlyOneOfManyRacingReplacesWin() throws Exception {
        FileMetadata current = file("contended", "v1", T0);
        store().insert(current);
        int writers = 16;
        CountDownLatch start = new CountDownLatch(1);
        List<FileMetadata> attempts = new ArrayList<>();
        for (int i = 0; i < writers; i++) {
            attempts.add(current.nextRevision(text("writer " + i), LATER, RETENTION));
        }
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (FileMetadata attempt : attempts) {
                outcomes.add(pool.submit(() -> {
                    start.await();
                    return store().replace(current, attempt);
                }));
            }
            start.countDown();
            List<FileMetadata> winners = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                if (outcomes.get(i).get()) {
                    winners.add(attempts.get(i));
                }
            }
            assertEquals(1, winners.size());
            assertEquals(Optional.of(winners.getFirst()), store().findLive(current.name(), LATER));
            assertEquals(List.of(ChangeEvent.Type.CREATED, ChangeEvent.Type.UPDATED),
                    recordedEvents().stream().map(ChangeEvent::type).toList());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void recordsACreatedEventWithTheInsertedRevision() {
        FileMetadata file = file("a.txt", "hello", T0);

        store().insert(file);

        assertEquals(List.of(expected(ChangeEvent.Type.CREATED, file, file.updatedAt())), withoutIds(recordedEvents()));
    }

    @Test
    void recordsAnUpdatedEventWithTheNewRevision() {
        FileMetadata v1 = file("a.txt", "v1", T0);
        store().insert(v1);
        FileMetadata v2 = v1.nextRevision(text("v2"), LATER, RETENTION);

        store().replace(v1, v2);

        assertEquals(List.of(expected(ChangeEvent.Type.CREATED, v1, T0), expected(ChangeEvent.Type.UPDATED, v2, LATER)),
                withoutIds(recordedEvents()));
    }

    @Test
    void recordsADeletedEventWithTheRemovedRevision() {
        FileMetadata file = file("a.txt", "bye", T0);
        store().insert(file);

        store().delete(file);

        List<ChangeEvent> events = recordedEvents();
        assertEquals(2, events.size());
        ChangeEvent deleted = events.get(1);
        assertEquals(ChangeEvent.Type.DELETED, deleted.type());
        assertEquals(List.of(file.name(), file.etag(), file.version(), file.size(), file.sha256()),
                List.of(deleted.name(), deleted.etag(), deleted.version(), deleted.size(), deleted.sha256()));
    }

    @Test
    void recordsAnExpiredEventForEachPurgedFile() {
        FileMetadata old = file("old", T0);
        store().insert(old);
        store().insert(file("live", T0.plus(Duration.ofDays(10))));
        recordedEvents();

        store().purgeExpired(AFTER_EXPIRY, 10);

        assertEquals(List.of(expected(ChangeEvent.Type.EXPIRED, old, old.expiresAt())), withoutIds(recordedEvents()));
    }

    @Test
    void recordsNoEventForARefusedWrite() {
        FileMetadata v1 = file("a.txt", "v1", T0);
        store().insert(v1);
        FileMetadata v2 = v1.nextRevision(text("v2"), LATER, RETENTION);
        store().replace(v1, v2);
        recordedEvents();

        assertFalse(store().insert(file("a.txt", "taken", LATER)));
        assertFalse(store().replace(v1, v1.nextRevision(text("stale"), LATER, RETENTION)));
        assertFalse(store().delete(v1));
        assertEquals(List.of(), store().purgeExpired(LATER, 10));

        assertEquals(List.of(), recordedEvents());
    }

    @Test
    void numbersTheEventsOfAFileInTheOrderOfItsChanges() {
        FileMetadata v1 = file("a.txt", "v1", T0);
        store().insert(v1);
        FileMetadata v2 = v1.nextRevision(text("v2"), LATER, RETENTION);
        store().replace(v1, v2);
        store().delete(v2);

        List<ChangeEvent> events = recordedEvents();

        assertEquals(List.of(ChangeEvent.Type.CREATED, ChangeEvent.Type.UPDATED, ChangeEvent.Type.DELETED),
                events.stream().map(ChangeEvent::type).toList());
        assertTrue(events.get(0).sequence() < events.get(1).sequence() && events.get(1).sequence() < events.get(2).sequence());
    }

    /** Every event recorded since the last call, in order, read by leasing and delivering them one round at a time. */
    private List<ChangeEvent> recordedEvents() {
        Instant farFuture = T0.plus(Duration.ofDays(3650));
        List<ChangeEvent> events = new ArrayList<>();
        List<ChangeEventOutbox.Leased> round;
        while (!(round = outbox().lease(farFuture, 100, Duration.ofMinutes(1))).isEmpty()) {
            for (ChangeEventOutbox.Leased leased : round) {
                events.add(leased.event());
                outbox().markDelivered(leased.event().id());
            }
        }
        events.sort(Comparator.comparingLong(ChangeEvent::sequence));
        return events;
    }

    private static ChangeEvent expected(ChangeEvent.Type type, FileMetadata revision, Instant occurredAt) {
        return new ChangeEvent(NO_ID, type, revision.name(), revision.etag(), revision.version(), revision.size(),
                revision.sha256(), occurredAt, 0);
    }

    private static List<ChangeEvent> withoutIds(List<ChangeEvent> events) {
        return events.stream().map(e -> new ChangeEvent(NO_ID, e.type(), e.name(), e.etag(), e.version(), e.size(),
                e.sha256(), e.occurredAt(), 0)).toList();
    }

    private static List<String> names(List<FileMetadata> files) {
        return files.stream().map(FileMetadata::name).map(FileName::value).toList();
    }
}
