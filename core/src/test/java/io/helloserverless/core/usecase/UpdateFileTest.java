package io.helloserverless.core.usecase;

import static io.helloserverless.core.testing.TestFiles.name;
import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.domain.ETagMatch;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.testing.InMemoryMetadataStore.Fault;
import io.helloserverless.core.usecase.UpdateFile.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class UpdateFileTest {

    private final FileServiceFixture service = new FileServiceFixture();

    private FileMetadata created(String name, String text) {
        return ((CreateFile.Result.Created) service.create.create(name(name), text(text))).file();
    }

    @Test
    void replacesTheContentAndStartsTheRetentionAgain() {
        FileMetadata v1 = created("a.txt", "v1");
        service.clock.advance(Duration.ofDays(20));

        FileMetadata v2 = assertInstanceOf(Result.Updated.class,
                service.update.update(name("a.txt"), text("version two"), Optional.of(ETagMatch.of(v1.etag())))).file();

        assertEquals(2, v2.version());
        assertEquals(11, v2.size());
        assertEquals(v1.createdAt(), v2.createdAt());
        assertEquals(v1.createdAt().plus(Duration.ofDays(20)), v2.updatedAt());
        assertEquals(v2.updatedAt().plus(Duration.ofDays(30)), v2.expiresAt());
        assertFalse(v1.etag().equals(v2.etag()));
        assertEquals(v2, service.metadata.rows().get(name("a.txt")));
    }

    @Test
    void removesTheBlobOfTheReplacedRevision() {
        FileMetadata v1 = created("a.txt", "v1");

        FileMetadata v2 = ((Result.Updated) service.update.update(name("a.txt"), text("v2"), Optional.empty())).file();

        assertEquals(List.of(v2.blobKey()), List.copyOf(service.blobs.blobs().keySet()));
        assertFalse(service.blobs.blobs().containsKey(v1.blobKey()));
    }

    @Test
    void succeedsEvenIfTheOldBlobCannotBeRemoved() {
        created("a.txt", "v1");
        service.blobs.failDeletes(true);

        assertInstanceOf(Result.Updated.class, service.update.update(name("a.txt"), text("v2"), Optional.empty()));
    }

    @Test
    void findsNothingToUpdateUnderAnUnknownName() {
        assertInstanceOf(Result.NotFound.class, service.update.update(name("nope"), text("x"), Optional.empty()));
        assertTrue(service.blobs.blobs().isEmpty());
    }

    @Test
    void findsNothingToUpdateOnceTheFileExpired() {
        created("a.txt", "v1");
        service.clock.advance(Duration.ofDays(30));

        assertInstanceOf(Result.NotFound.class, service.update.update(name("a.txt"), text("x"), Optional.empty()));
    }

    @Test
    void rejectsAnUpdateWhoseEtagIsStale() {
        FileMetadata v1 = created("a.txt", "v1");
        FileMetadata v2 = ((Result.Updated) service.update.update(name("a.txt"), text("v2"), Optional.empty())).file();

        assertInstanceOf(Result.PreconditionFailed.class,
                service.update.update(name("a.txt"), text("lost"), Optional.of(ETagMatch.of(v1.etag()))));

        assertEquals(v2, service.metadata.rows().get(name("a.txt")));
        assertEquals(1, service.blobs.blobs().size());
    }

    @Test
    void acceptsIfMatchStarForAnyCurrentRevision() {
        created("a.txt", "v1");

        assertInstanceOf(Result.Updated.class, service.update.update(name("a.txt"), text("v2"), Optional.of(ETagMatch.ANY)));
    }

    @Test
    void keepsTheOldRevisionWhenTheBlobStoreFails() {
        FileMetadata v1 = created("a.txt", "v1");
        service.blobs.failPuts(true);

        assertThrows(DependencyFailureException.class, () -> service.update.update(name("a.txt"), text("v2"), Optional.empty()));

        assertEquals(v1, service.metadata.rows().get(name("a.txt")));
    }

    @Test
    void keepsTheOldRevisionAndLeavesTheNewBlobToTheOrphanCollectionWhenTheCommitFails() {
        FileMetadata v1 = created("a.txt", "v1");
        service.metadata.failWrites(Fault.BEFORE_COMMIT);

        assertThrows(DependencyFailureException.class, () -> service.update.update(name("a.txt"), text("v2"), Optional.empty()));

        assertEquals(v1, service.metadata.rows().get(name("a.txt")));
        assertTrue(service.blobs.blobs().containsKey(v1.blobKey()));
        assertEquals(2, service.blobs.blobs().size(), "a failed commit may still land: the new blob is not the writer's to remove");
    }

    @Test
    void reportsSuccessWhenARetriedReplaceIsRefusedBecauseItsFirstRunCommitted() {
        FileMetadata v1 = created("a.txt", "v1");
        service.metadata.failWrites(Fault.REFUSED_AFTER_COMMIT);

        FileMetadata v2 = assertInstanceOf(Result.Updated.class,
                service.update.update(name("a.txt"), text("v2"), Optional.empty())).file();

        service.metadata.failWrites(Fault.NONE);
        assertEquals(v2, service.metadata.rows().get(name("a.txt")));
        assertEquals("v2", ((ReadFile.Result.Found) service.read.read(name("a.txt"), ETagMatch.NONE, true))
                .content().orElseThrow().asString());
        assertEquals(List.of(v2.blobKey()), List.copyOf(service.blobs.blobs().keySet()), "the replaced blob is removed");
    }

    @Test
    void keepsTheBlobOfAReplaceThatLandsAfterTheWriterGaveUp() {
        created("a.txt", "v1");
        service.metadata.failWrites(Fault.COMMIT_LATER);

        assertThrows(DependencyFailureException.class, () -> service.update.update(name("a.txt"), text("late"), Optional.empty()));
        service.metadata.failWrites(Fault.NONE);
        service.metadata.commitLateWrites();

        assertEquals("late", ((ReadFile.Result.Found) service.read.read(name("a.txt"), ETagMatch.NONE, true))
                .content().orElseThrow().asString());
    }

    @Test
    void letsExactlyOneOfTwoRacingWritersWin() throws Exception {
        FileMetadata v1 = created("a.txt", "v1");
        int writers = 8;
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<Result>> results = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                String text = "writer " + i;
                results.add(pool.submit(() -> {
                    start.await();
                    return service.update.update(name("a.txt"), text(text), Optional.of(ETagMatch.of(v1.etag())));
                }));
            }
            start.countDown();
            List<Result> outcomes = new ArrayList<>();
            for (Future<Result> r : results) {
                outcomes.add(r.get());
            }
            List<Result> winners = outcomes.stream().filter(r -> r instanceof Result.Updated).toList();
            assertEquals(1, winners.size());
            assertEquals(writers - 1, outcomes.stream().filter(r -> r instanceof Result.PreconditionFailed).count());
            FileMetadata winner = ((Result.Updated) winners.getFirst()).file();
            assertEquals(winner, service.metadata.rows().get(name("a.txt")));
            assertEquals(List.of(winner.blobKey()), List.copyOf(service.blobs.blobs().keySet()),
                    "losers leave no blob behind");
        } finally {
            pool.shutdownNow();
        }
    }
}
