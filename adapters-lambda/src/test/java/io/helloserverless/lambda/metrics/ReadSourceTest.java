package io.helloserverless.lambda.metrics;

import static io.helloserverless.core.testing.TestFiles.file;
import static io.helloserverless.core.testing.TestFiles.name;
import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.helloserverless.adapters.redis.LocalFileCache;
import io.helloserverless.core.domain.ETagMatch;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.testing.InMemoryBlobStore;
import io.helloserverless.core.testing.InMemoryMetadataStore;
import io.helloserverless.core.testing.MutableClock;
import io.helloserverless.core.usecase.ReadFile;
import io.helloserverless.lambda.wiring.CacheModule;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What a read's log line says answered it, now that the core's port no longer carries the cache
 * tier: the cache adapter reports its hits to the component's {@link DependencyTimes}, which also
 * sees the metadata store asked.
 */
class ReadSourceTest {

    private final MutableClock clock = MutableClock.at("2026-01-01T00:00:00Z");
    private final InMemoryMetadataStore metadata = new InMemoryMetadataStore();
    private final InMemoryBlobStore blobs = new InMemoryBlobStore();
    private final DependencyTimes times = new DependencyTimes();
    private final ReadFile read = new ReadFile(times.metadata(metadata), times.blobs(blobs),
            times.cache(CacheModule.fileCache(new CacheModule.Cache(new LocalFileCache(CacheModule.LOCAL_ONLY, clock),
                    Optional.empty()), times)), clock);

    @Test
    void namesTheStoreOnAMissTheCacheTierOnAHitAndNothingBeforeARead() {
        FileMetadata file = file("a.txt", "hello", clock.instant());
        metadata.insert(file);
        blobs.put(file.blobKey(), text("hello"));

        assertNull(times.source());
        assertEquals("store", source());
        assertEquals("local_cache", source());
    }

    @Test
    void namesTheStoreWhenACachedEntryCouldNotBeUsed() {
        // a file that expires in a second: its cache entry outlives it
        FileMetadata file = FileMetadata.firstRevision(name("a.txt"), text("hello"), clock.instant(), Duration.ofSeconds(1));
        metadata.insert(file);
        blobs.put(file.blobKey(), text("hello"));
        assertEquals("store", source());
        assertEquals("local_cache", source());
        clock.advance(Duration.ofSeconds(2));

        assertEquals("store", source());
    }

    private String source() {
        times.reset();
        read.read(name("a.txt"), ETagMatch.NONE, true);
        return times.source();
    }
}
