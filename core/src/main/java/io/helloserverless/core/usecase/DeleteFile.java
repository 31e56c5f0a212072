package io.helloserverless.core.usecase;

import io.helloserverless.core.domain.ETagMatch;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.port.BlobStore;
import io.helloserverless.core.port.FileCache;
import io.helloserverless.core.port.MetadataStore;
import java.time.Clock;
import java.util.Optional;

/** Deletes a live file, conditionally on the revision that was read. */
public final class DeleteFile {

    public sealed interface Result {
        record Deleted(FileMetadata file) implements Result {
        }

        record NotFound(FileName name) implements Result {
        }

        record PreconditionFailed(FileName name) implements Result {
        }
    }

    private final MetadataStore metadata;
    private final FileCache cache;
    private final Clock clock;
    private final RevisionWriter writer;

    public DeleteFile(MetadataStore metadata, BlobStore blobs, FileCache cache, Clock clock) {
        this.metadata = metadata;
        this.cache = SafeCache.around(cache);
        this.clock = clock;
        this.writer = new RevisionWriter(metadata, blobs);
    }

    public Result delete(FileName name, Optional<ETagMatch> ifMatch) {
        Optional<FileMetadata> found = metadata.findLive(name, clock.instant());
        if (found.isEmpty()) {
            return new Result.NotFound(name);
        }
        FileMetadata current = found.get();
        if (ifMatch.isPresent() && !ifMatch.get().matches(current.etag())) {
            return new Result.PreconditionFailed(name);
        }
        if (!metadata.delete(current)) {
            return metadata.findLive(name, clock.instant()).isPresent()
                    ? new Result.PreconditionFailed(name)
                    : new Result.NotFound(name);
        }
        cache.invalidate(name);
        writer.discard(current.blobKey());
        return new Result.Deleted(current);
    }
}
