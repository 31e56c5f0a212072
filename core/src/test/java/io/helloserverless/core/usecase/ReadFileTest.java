package io.helloserverless.core.usecase;

import static io.helloserverless.core.testing.TestFiles.name;
import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.domain.ETag;
import io.helloserverless.core.domain.ETagMatch;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.usecase.ReadFile.Result;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReadFileTest {

    private final FileServiceFixture service = new FileServiceFixture();

    private FileMetadata created(String name, String text) {
        return ((CreateFile.Result.Created) service.create.create(name(name), text(text))).file();
    }

    /** Reads put nothing in the cache during the invalidation window that follows a write. */
    private void letTheInvalidationWindowPass() {
        service.clock.advance(Duration.ofSeconds(11));
    }

    /** Reads {@code file} whole and says whether the cache answered: an entry found, and the store not read. */
    private boolean readFromCache(String file) {
        int hits = service.cache.hits();
        int gets = service.blobs.gets();
        assertInstanceOf(Result.Found.class, service.read.read(name(file), ETagMatch.NONE, true));
        boolean found = service.cache.hits() > hits;
        assertEquals(found, service.blobs.gets() == gets, "an entry found in the cache, or the store read, not both");
        return found;
    }

    @Test
    void readsTheContentAndMetadataOfALiveFile() {
        FileMetadata file = created("a.txt", "hello");

        Result.Found found = assertInstanceOf(Result.Found.class, service.read.read(name("a.txt"), ETagMatch.NONE, true));

        assertEquals(file, found.file());
        assertEquals("hello", found.content().orElseThrow().asString());
    }

    @Test
    void findsNothingUnderAnUnknownName() {
        assertInstanceOf(Result.NotFound.class, service.read.read(name("nope"), ETagMatch.NONE, true));
    }

    @Test
    void treatsAnExpiredFileAsGoneEvenWhenItIsCached() {
        created("a.txt", "hello");
        letTheInvalidationWindowPass();
        assertFalse(readFromCache("a.txt"));
        assertTrue(readFromCache("a.txt"));
        service.clock.advance(Duration.ofDays(30));

        assertInstanceOf(Result.NotFound.class, service.read.read(name("a.txt"), ETagMatch.NONE, true));
    }

    @Test
    void answersNotModifiedWhenIfNoneMatchNamesTheCurrentRevision() {
        FileMetadata file = created("a.txt", "hello");
        service.blobs.failGets(true);

        Result.NotModified notModified = assertInstanceOf(Result.NotModified.class,
                service.read.read(name("a.txt"), ETagMatch.of(ETag.next(), file.etag()), true));
        assertEquals(file, notModified.file());
    }

    @Test
    void answersNotModifiedForIfNoneMatchStar() {
        created("a.txt", "hello");

        assertInstanceOf(Result.NotModified.class, service.read.read(name("a.txt"), ETagMatch.ANY, true));
    }

    @Test
    void readsTheContentWhenIfNoneMatchNamesAnOldRevision() {
        FileMetadata old = created("a.txt", "v1");
        service.update.update(name("a.txt"), text("v2"), Optional.empty());

        Result.Found found = assertInstanceOf(Result.Found.class, service.read.read(name("a.txt"), ETagMatch.of(old.etag()), true));
        assertEquals("v2", found.content().orElseThrow().asString());
    }

    @Test
    void readsMetadataAloneWithoutTouchingTheBlobStore() {
        FileMetadata file = created("a.txt", "hello");
        service.blobs.failGets(true);

        Result.Found found = assertInstanceOf(Result.Found.class, service.read.read(name("a.txt"), ETagMatch.NONE, false));
        assertEquals(file, found.file());
        assertEquals(Optional.empty(), found.content());
    }

    @Test
    void servesASecondReadFromTheCache() {
        created("a.txt", "hello");
        letTheInvalidationWindowPass();
        assertFalse(readFromCache("a.txt"));
        service.blobs.failGets(true);
        int hits = service.cache.hits();

        Result.Found second = assertInstanceOf(Result.Found.class, service.read.read(name("a.txt"), ETagMatch.NONE, true));
        assertEquals(hits + 1, service.cache.hits());
        assertEquals("hello", second.content().orElseThrow().asString());
    }

    @Test
    void neverServesARevisionReplacedByAWrite() {
        created("a.txt", "v1");
        letTheInvalidationWindowPass();
        service.read.read(name("a.txt"), ETagMatch.NONE, true);
        assertTrue(readFromCache("a.txt"));

        service.update.update(name("a.txt"), text("v2"), Optional.empty());

        Result.Found found = (Result.Found) service.read.read(name("a.txt"), ETagMatch.NONE, true);
        assertEquals("v2", found.content().orElseThrow().asString());
    }

    @Test
    void doesNotCacheWhatItReadDuringTheInvalidationWindowOfAWrite() {
        created("a.txt", "hello");
        service.read.read(name("a.txt"), ETagMatch.NONE, true);

        assertFalse(readFromCache("a.txt"));
    }

    @Test
    void readsThroughWhenTheCacheIsDown() {
        created("a.txt", "hello");
        service.cache.broken(true);

        Result.Found found = assertInstanceOf(Result.Found.class, service.read.read(name("a.txt"), ETagMatch.NONE, true));
        assertEquals("hello", found.content().orElseThrow().asString());
    }

    @Test
    void reportsAMissingBlobOfALiveFileAsADependencyFailure() {
        FileMetadata file = created("a.txt", "hello");
        service.blobs.delete(file.blobKey());

        assertThrows(DependencyFailureException.class, () -> service.read.read(name("a.txt"), ETagMatch.NONE, true));
    }
}
