package io.helloserverless.lambda.wiring;

import dagger.Module;
import dagger.Provides;
import io.helloserverless.core.domain.ContentPolicy;
import io.helloserverless.core.domain.RetentionPolicy;
import io.helloserverless.core.port.BlobStore;
import io.helloserverless.core.port.FileCache;
import io.helloserverless.core.port.MetadataStore;
import io.helloserverless.core.usecase.CollectOrphanBlobs;
import io.helloserverless.core.usecase.CreateFile;
import io.helloserverless.core.usecase.DeleteFile;
import io.helloserverless.core.usecase.ListFiles;
import io.helloserverless.core.usecase.PurgeExpiredFiles;
import io.helloserverless.core.usecase.ReadFile;
import io.helloserverless.core.usecase.UpdateFile;
import io.helloserverless.lambda.metrics.DependencyTimes;
import java.time.Clock;

/**
 * The core's use cases, built by plain constructors (the core carries no annotations). A
 * component only instantiates the ones its entry points ask for.
 */
@Module
public interface UseCaseModule {

    @Provides
    static Clock clock() {
        return Clock.systemUTC();
    }

    @Provides
    static RetentionPolicy retention() {
        return RetentionPolicy.defaults();
    }

    @Provides
    static ContentPolicy contentPolicy(Config config) {
        return config.contentPolicy();
    }

    @Provides
    static CreateFile createFile(MetadataStore metadata, BlobStore blobs, FileCache cache, Clock clock, RetentionPolicy retention,
                                 DependencyTimes times) {
        return new CreateFile(times.metadata(metadata), times.blobs(blobs), times.cache(cache), clock, retention);
    }

    @Provides
    static ReadFile readFile(MetadataStore metadata, BlobStore blobs, FileCache cache, Clock clock, DependencyTimes times) {
        return new ReadFile(times.metadata(metadata), times.blobs(blobs), times.cache(cache), clock);
    }

    @Provides
    static UpdateFile updateFile(MetadataStore metadata, BlobStore blobs, FileCache cache, Clock clock, RetentionPolicy retention,
                                 DependencyTimes times) {
        return new UpdateFile(times.metadata(metadata), times.blobs(blobs), times.cache(cache), clock, retention);
    }

    @Provides
    static DeleteFile deleteFile(MetadataStore metadata, BlobStore blobs, FileCache cache, Clock clock, DependencyTimes times) {
        return new DeleteFile(times.metadata(metadata), times.blobs(blobs), times.cache(cache), clock);
    }

    @Provides
    static ListFiles listFiles(MetadataStore metadata, Clock clock, DependencyTimes times) {
        return new ListFiles(times.metadata(metadata), clock);
    }

    @Provides
    static PurgeExpiredFiles purgeExpiredFiles(MetadataStore metadata, BlobStore blobs, Clock clock) {
        return new PurgeExpiredFiles(metadata, blobs, clock);
    }

    @Provides
    static CollectOrphanBlobs collectOrphanBlobs(MetadataStore metadata, BlobStore blobs, Clock clock, Config config) {
        return new CollectOrphanBlobs(metadata, blobs, clock, config.orphanGrace());
    }
}
