package io.helloserverless.core.usecase;

import static io.helloserverless.core.testing.TestFiles.name;
import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.ETag;
import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.domain.ETagMatch;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.testing.InMemoryMetadataStore.Fault;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class CollectOrphanBlobsTest {

    private static final Duration GRACE = Duration.ofHours(1);

    private final FileServiceFixture service = new FileServiceFixture();
    private final CollectOrphanBlobs collect = new CollectOrphanBlobs(service.metadata, service.blobs, service.clock, GRACE);

    private FileMetadata created(String name, String text) {
        return ((CreateFile.Result.Created) service.create.create(name(name), text(text))).file();
    }

    private BlobKey orphanOfAFailedCreate(String name) {
        Set<BlobKey> before = service.blobs.blobs().keySet();
        service.metadata.failWrites(Fault.BEFORE_COMMIT);
        assertThrows(DependencyFailureException.class, () -> service.create.create(name(name), text("lost")));
        service.metadata.failWrites(Fault.NONE);
        return service.blobs.blobs().keySet().stream().filter(key -> !before.contains(key)).findFirst().orElseThrow();
    }

    @Test
    void removesOrphansOlderThanTheGraceAndKeepsEveryBlobAFilePointsAt() {
        BlobKey oldOrphan = orphanOfAFailedCreate("failed.txt");
        FileMetadata expiring = created("expiring.txt", "expiring");
        service.clock.advance(Duration.ofDays(30).minus(Duration.ofMinutes(30)));
        FileMetadata live = created("live.txt", "live");
        FileMetadata replaced = created("replaced.txt", "v1");
        service.blobs.failDeletes(true);
        service.update.update(name("replaced.txt"), text("v2"), Optional.empty());
        service.blobs.failDeletes(false);
        service.clock.advance(Duration.ofMinutes(30));
        BlobKey youngOrphan = orphanOfAFailedCreate("failed-too.txt");
        service.clock.advance(GRACE.minusSeconds(1));
        assertTrue(service.metadata.rows().containsKey(expiring.name()), "expired, not purged yet");

        CollectOrphanBlobs.Result result = collect.run();

        assertEquals(new CollectOrphanBlobs.Result(6, 2, 0, true), result);
        Set<BlobKey> left = service.blobs.blobs().keySet();
        assertFalse(left.contains(oldOrphan));
        assertFalse(left.contains(replaced.blobKey()), "the blob of a replaced revision whose removal failed");
        assertTrue(left.containsAll(Set.of(live.blobKey(), expiring.blobKey(), youngOrphan,
                service.metadata.rows().get(name("replaced.txt")).blobKey())));
        assertEquals("live", ((ReadFile.Result.Found) service.read.read(name("live.txt"), ETagMatch.NONE, true))
                .content().orElseThrow().asString());

        service.clock.advance(Duration.ofSeconds(2));
        assertEquals(new CollectOrphanBlobs.Result(4, 1, 0, true), collect.run());
        assertFalse(service.blobs.blobs().containsKey(youngOrphan));
    }

    @Test
    void neverRemovesTheBlobOfAWriteThatMayStillCommit() {
        service.metadata.failWrites(Fault.COMMIT_LATER);
        assertThrows(DependencyFailureException.class, () -> service.create.create(name("late.txt"), text("late")));
        service.metadata.failWrites(Fault.NONE);
        service.clock.advance(GRACE.minusSeconds(1));

        assertEquals(new CollectOrphanBlobs.Result(1, 0, 0, true), collect.run(), "inside the grace period");
        service.metadata.commitLateWrites();
        service.clock.advance(GRACE);

        assertEquals(new CollectOrphanBlobs.Result(1, 0, 0, true), collect.run(), "committed: no orphan");
        assertEquals("late", ((ReadFile.Result.Found) service.read.read(name("late.txt"), ETagMatch.NONE, true))
                .content().orElseThrow().asString());
    }

    @Test
    void countsARemovalThatFailedAndRemovesTheOrphanOnTheNextRun() {
        BlobKey orphan = orphanOfAFailedCreate("failed.txt");
        service.clock.advance(GRACE.plusSeconds(1));
        service.blobs.failDeletes(true);

        assertEquals(new CollectOrphanBlobs.Result(1, 0, 1, true), collect.run());
        service.blobs.failDeletes(false);

        assertEquals(new CollectOrphanBlobs.Result(1, 1, 0, true), collect.run());
        assertFalse(service.blobs.blobs().containsKey(orphan));
    }

    @Test
    void removesNothingWhenItCannotTellWhichBlobsAreReferenced() {
        created("live.txt", "live");
        orphanOfAFailedCreate("failed.txt");
        service.clock.advance(GRACE.plusSeconds(1));
        service.metadata.failWrites(Fault.ALWAYS);

        assertThrows(DependencyFailureException.class, collect::run);

        assertEquals(2, service.blobs.blobs().size());
    }

    @Test
    void failsWhenTheBlobsCannotBeListed() {
        service.blobs.failLists(true);

        assertThrows(DependencyFailureException.class, collect::run);
    }

    @Test
    void goesThroughEveryBlobOnceFromARandomStartWhenThePagesSuffice() {
        for (int i = 0; i < 9; i++) {
            service.blobs.put(randomKey(), text("orphan " + i));
        }
        service.clock.advance(GRACE.plusSeconds(1));
        CollectOrphanBlobs smallPages = new CollectOrphanBlobs(service.metadata, service.blobs, service.clock, GRACE, 2);

        assertEquals(new CollectOrphanBlobs.Result(9, 9, 0, true), smallPages.run(100));
        assertTrue(service.blobs.blobs().isEmpty());
    }

    @Test
    void stopsAtItsPageLimitAndCoversTheRestInLaterRuns() {
        for (int i = 0; i < 20; i++) {
            service.blobs.put(randomKey(), text("orphan " + i));
        }
        service.clock.advance(GRACE.plusSeconds(1));
        CollectOrphanBlobs smallPages = new CollectOrphanBlobs(service.metadata, service.blobs, service.clock, GRACE, 2);

        CollectOrphanBlobs.Result first = smallPages.run(3);
        assertFalse(first.complete());
        assertTrue(first.examined() <= 6 && first.removed() == first.examined(), first.toString());
        for (int run = 0; run < 200 && !service.blobs.blobs().isEmpty(); run++) {
            smallPages.run(3);
        }
        assertTrue(service.blobs.blobs().isEmpty(), "random starts reach every blob in time");
    }

    @Test
    void refusesAGracePeriodOrPageLimitThatIsNotPositive() {
        assertThrows(IllegalArgumentException.class,
                () -> new CollectOrphanBlobs(service.metadata, service.blobs, service.clock, Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> collect.run(0));
    }

    private static BlobKey randomKey() {
        return BlobKey.forRevision(ETag.next());
    }
}
