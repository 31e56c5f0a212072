package io.helloserverless.core.usecase;

import io.helloserverless.core.domain.RetentionPolicy;
import io.helloserverless.core.testing.InMemoryBlobStore;
import io.helloserverless.core.testing.InMemoryFileCache;
import io.helloserverless.core.testing.InMemoryMetadataStore;
import io.helloserverless.core.testing.MutableClock;
import io.helloserverless.core.testing.TestFiles;
import java.time.Duration;

/** Every use case wired by plain constructors over the in-memory fakes, as an embedder would. */
final class FileServiceFixture {

    final MutableClock clock = new MutableClock(TestFiles.T0);
    final InMemoryMetadataStore metadata = new InMemoryMetadataStore();
    final InMemoryBlobStore blobs = new InMemoryBlobStore(clock);
    final InMemoryFileCache cache = new InMemoryFileCache(clock, Duration.ofMinutes(1), Duration.ofSeconds(10));
    final RetentionPolicy retention = RetentionPolicy.defaults();

    final CreateFile create = new CreateFile(metadata, blobs, cache, clock, retention);
    final ReadFile read = new ReadFile(metadata, blobs, cache, clock);
    final UpdateFile update = new UpdateFile(metadata, blobs, cache, clock, retention);
    final DeleteFile delete = new DeleteFile(metadata, blobs, cache, clock);
    final ListFiles list = new ListFiles(metadata, clock);
    final PurgeExpiredFiles purge = new PurgeExpiredFiles(metadata, blobs, clock);
}
