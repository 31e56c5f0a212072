package io.helloserverless.core.usecase;

import io.helloserverless.core.domain.ETagMatch;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.domain.RetentionPolicy;
import io.helloserverless.core.domain.TextContent;
import io.helloserverless.core.port.BlobStore;
import io.helloserverless.core.port.FileCache;
import io.helloserverless.core.port.MetadataStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Replaces the content of a live file. The write is conditional on the revision that was read,
 * so of two racing writers one wins and the other is told the precondition failed, even
 * without {@code If-Match}: no update is lost.
 */
public final class UpdateFile {

    public sealed interface Result {
        record Updated(FileMetadata file) implements Result {
        }

        record NotFound(FileName name) implements Result {
        }

        /** {@code If-Match} named another revision, or another writer committed first. */
        record PreconditionFailed(FileName name) implements Result {
        }
    }

    private final MetadataStore metadata;
    private final FileCache cache;
    private final Clock clock;
    private final RetentionPolicy retention;
    private final RevisionWriter writer;

    public UpdateFile(MetadataStore metadata, BlobStore blobs, FileCache cache, Clock clock, RetentionPolicy retention) {
        this.metadata = metadata;
        this.cache = SafeCache.around(cache);
        this.clock = clock;
        this.retention = retention;
        this.writer = new RevisionWriter(metadata, blobs);
    }

    public Result update(FileName name, TextContent content, Optional<ETagMatch> ifMatch) {
        Instant now = clock.instant();
        Optional<FileMetadata> found = metadata.findLive(name, now);
        if (found.isEmpty()) {
            return new Result.NotFound(name);
        }
        FileMetadata current = found.get();
        if (ifMatch.isPresent() && !ifMatch.get().matches(current.etag())) {
            return new Result.PreconditionFailed(name);
        }
        FileMetadata next = current.nextRevision(content, now, retention.retention());
        if (!writer.write(next, content, () -> metadata.replace(current, next))) {
            return new Result.PreconditionFailed(name);
        }
        cache.invalidate(name);
        writer.discard(current.blobKey());
        return new Result.Updated(next);
    }
}
