package io.helloserverless.core.usecase;

import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.domain.RetentionPolicy;
import io.helloserverless.core.domain.TextContent;
import io.helloserverless.core.port.BlobStore;
import io.helloserverless.core.port.FileCache;
import io.helloserverless.core.port.MetadataStore;
import java.time.Clock;

/** Creates a file under a name no live file has. */
public final class CreateFile {

    public sealed interface Result {
        record Created(FileMetadata file) implements Result {
        }

        record AlreadyExists(FileName name) implements Result {
        }
    }

    private final MetadataStore metadata;
    private final FileCache cache;
    private final Clock clock;
    private final RetentionPolicy retention;
    private final RevisionWriter writer;

    public CreateFile(MetadataStore metadata, BlobStore blobs, FileCache cache, Clock clock, RetentionPolicy retention) {
        this.metadata = metadata;
        this.cache = SafeCache.around(cache);
        this.clock = clock;
        this.retention = retention;
        this.writer = new RevisionWriter(metadata, blobs);
    }

    public Result create(FileName name, TextContent content) {
        FileMetadata file = FileMetadata.firstRevision(name, content, clock.instant(), retention.retention());
        if (!writer.write(file, content, () -> metadata.insert(file))) {
            return new Result.AlreadyExists(name);
        }
        cache.invalidate(name);
        return new Result.Created(file);
    }
}
