package io.helloserverless.core.usecase;

import static io.helloserverless.core.testing.TestFiles.name;
import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.core.domain.ETagMatch;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.usecase.DeleteFile.Result;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeleteFileTest {

    private final FileServiceFixture service = new FileServiceFixture();

    private FileMetadata created(String name, String text) {
        return ((CreateFile.Result.Created) service.create.create(name(name), text(text))).file();
    }

    @Test
    void deletesTheFileAndItsBlob() {
        created("a.txt", "x");

        assertInstanceOf(Result.Deleted.class, service.delete.delete(name("a.txt"), Optional.empty()));

        assertTrue(service.metadata.rows().isEmpty());
        assertTrue(service.blobs.blobs().isEmpty());
        assertInstanceOf(ReadFile.Result.NotFound.class, service.read.read(name("a.txt"), ETagMatch.NONE, true));
    }

    @Test
    void findsNothingToDeleteUnderAnUnknownName() {
        assertInstanceOf(Result.NotFound.class, service.delete.delete(name("nope"), Optional.empty()));
    }

    @Test
    void rejectsADeleteWhoseEtagIsStale() {
        FileMetadata v1 = created("a.txt", "v1");
        FileMetadata v2 = ((UpdateFile.Result.Updated) service.update.update(name("a.txt"), text("v2"), Optional.empty())).file();

        assertInstanceOf(Result.PreconditionFailed.class, service.delete.delete(name("a.txt"), Optional.of(ETagMatch.of(v1.etag()))));

        assertEquals(v2, service.metadata.rows().get(name("a.txt")));
    }

    @Test
    void deletesWhenIfMatchNamesTheCurrentRevision() {
        FileMetadata v1 = created("a.txt", "v1");

        assertInstanceOf(Result.Deleted.class, service.delete.delete(name("a.txt"), Optional.of(ETagMatch.of(v1.etag()))));
    }

    @Test
    void deletesEvenIfTheBlobCannotBeRemoved() {
        created("a.txt", "v1");
        service.blobs.failDeletes(true);

        assertInstanceOf(Result.Deleted.class, service.delete.delete(name("a.txt"), Optional.empty()));
        assertTrue(service.metadata.rows().isEmpty());
    }
}
