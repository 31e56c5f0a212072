package io.helloserverless.core.usecase;

import static io.helloserverless.core.testing.TestFiles.name;
import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.domain.ETagMatch;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.testing.InMemoryMetadataStore.Fault;
import io.helloserverless.core.testing.TestFiles;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CreateFileTest {

    private final FileServiceFixture service = new FileServiceFixture();

    @Test
    void storesTheContentAndDescribesIt() {
        service.clock.advance(Duration.ofMillis(1234));

        FileMetadata file = assertInstanceOf(CreateFile.Result.Created.class,
                service.create.create(name("notes.txt"), text("abc"))).file();

        Instant now = TestFiles.T0.plusMillis(1234);
        assertEquals("notes.txt", file.name().value());
        assertEquals(3, file.size());
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", file.sha256());
        assertEquals(1, file.version());
        assertEquals(now, file.createdAt());
        assertEquals(now, file.updatedAt());
        assertEquals(now.plus(Duration.ofDays(30)), file.expiresAt());
        assertArrayEquals("abc".getBytes(StandardCharsets.UTF_8), service.blobs.blobs().get(file.blobKey()));
        assertEquals(file, service.metadata.rows().get(file.name()));
    }

    @Test
    void refusesANameThatALiveFileHasAndKeepsThatFile() {
        FileMetadata first = ((CreateFile.Result.Created) service.create.create(name("a"), text("first"))).file();

        assertInstanceOf(CreateFile.Result.AlreadyExists.class, service.create.create(name("a"), text("second")));

        assertEquals(first, service.metadata.rows().get(name("a")));
        assertEquals(1, service.blobs.blobs().size(), "the blob of the refused write is removed");
    }

    @Test
    void reusesTheNameOfAnExpiredFile() {
        service.create.create(name("a"), text("old"));
        service.clock.advance(Duration.ofDays(30));

        assertInstanceOf(CreateFile.Result.Created.class, service.create.create(name("a"), text("new")));
        assertEquals("new", ((ReadFile.Result.Found) service.read.read(name("a"), ETagMatch.NONE, true))
                .content().orElseThrow().asString());
    }

    @Test
    void givesEveryWriteANewEtagEvenForTheSameContent() {
        FileMetadata first = ((CreateFile.Result.Created) service.create.create(name("a"), text("same"))).file();
        service.delete.delete(name("a"), java.util.Optional.empty());
        FileMetadata again = ((CreateFile.Result.Created) service.create.create(name("a"), text("same"))).file();

        assertTrue(!first.etag().equals(again.etag()));
        assertTrue(!first.blobKey().equals(again.blobKey()));
    }

    @Test
    void leavesNoMetadataWhenTheBlobStoreFails() {
        service.blobs.failPuts(true);

        assertThrows(DependencyFailureException.class, () -> service.create.create(name("a"), text("x")));

        assertTrue(service.metadata.rows().isEmpty());
    }

    @Test
    void leavesTheNewBlobToTheOrphanCollectionWhenTheMetadataCommitFails() {
        service.metadata.failWrites(Fault.BEFORE_COMMIT);

        assertThrows(DependencyFailureException.class, () -> service.create.create(name("a"), text("x")));

        assertTrue(service.metadata.rows().isEmpty());
        assertEquals(1, service.blobs.blobs().size(), "a failed commit may still land: the blob is not the writer's to remove");
    }

    @Test
    void reportsSuccessWhenARetriedInsertIsRefusedBecauseItsFirstRunCommitted() {
        service.metadata.failWrites(Fault.REFUSED_AFTER_COMMIT);

        FileMetadata file = assertInstanceOf(CreateFile.Result.Created.class,
                service.create.create(name("a"), text("x"))).file();

        service.metadata.failWrites(Fault.NONE);
        assertEquals(file, service.metadata.rows().get(name("a")));
        assertEquals("x", ((ReadFile.Result.Found) service.read.read(name("a"), ETagMatch.NONE, true))
                .content().orElseThrow().asString());
    }

    @Test
    void keepsTheBlobOfACommitThatLandsAfterTheWriterGaveUp() {
        service.metadata.failWrites(Fault.COMMIT_LATER);

        assertThrows(DependencyFailureException.class, () -> service.create.create(name("a"), text("late")));
        service.metadata.failWrites(Fault.NONE);
        service.metadata.commitLateWrites();

        assertEquals("late", ((ReadFile.Result.Found) service.read.read(name("a"), ETagMatch.NONE, true))
                .content().orElseThrow().asString());
    }

    @Test
    void reportsSuccessWhenTheCommitWentThroughButItsAnswerWasLost() {
        service.metadata.failWrites(Fault.AFTER_COMMIT);

        FileMetadata file = assertInstanceOf(CreateFile.Result.Created.class,
                service.create.create(name("a"), text("x"))).file();

        assertEquals(file, service.metadata.rows().get(name("a")));
        assertTrue(service.blobs.blobs().containsKey(file.blobKey()), "the committed revision keeps its blob");
    }

    @Test
    void keepsTheBlobWhenItCannotTellWhetherTheCommitHappened() {
        service.metadata.failWrites(Fault.ALWAYS);

        assertThrows(DependencyFailureException.class, () -> service.create.create(name("a"), text("x")));

        assertEquals(1, service.blobs.blobs().size(), "left to the orphan collection rather than risk a dangling row");
    }

    @Test
    void succeedsWhileTheCacheIsDown() {
        service.cache.broken(true);

        assertInstanceOf(CreateFile.Result.Created.class, service.create.create(name("a"), text("x")));
    }
}
