package io.helloserverless.core.usecase;

import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.domain.ETagMatch;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.domain.TextContent;
import io.helloserverless.core.port.BlobStore;
import io.helloserverless.core.port.FileCache;
import io.helloserverless.core.port.FileCache.CachedFile;
import io.helloserverless.core.port.FileCache.Lookup;
import io.helloserverless.core.port.MetadataStore;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Reads a live file (content and metadata, or metadata alone for {@code HEAD}) through the
 * cache. {@code If-None-Match} naming the current revision answers "not modified" without
 * touching the blob store.
 */
public final class ReadFile {

    public sealed interface Result {
        /** {@code content} is empty when it was not asked for. */
        record Found(FileMetadata file, Optional<TextContent> content) implements Result {
        }

        record NotModified(FileMetadata file) implements Result {
        }

        record NotFound(FileName name) implements Result {
        }
    }

    /** A revision replaced between reading its metadata and its blob is read again, this often. */
    private static final int ATTEMPTS = 3;

    private final MetadataStore metadata;
    private final BlobStore blobs;
    private final FileCache cache;
    private final Clock clock;

    public ReadFile(MetadataStore metadata, BlobStore blobs, FileCache cache, Clock clock) {
        this.metadata = metadata;
        this.blobs = blobs;
        this.cache = SafeCache.around(cache);
        this.clock = clock;
    }

    public Result read(FileName name, ETagMatch ifNoneMatch, boolean withContent) {
        Instant now = clock.instant();
        if (cache.get(name) instanceof Lookup.Hit hit && !hit.file().metadata().isExpiredAt(now)) {
            FileMetadata file = hit.file().metadata();
            if (ifNoneMatch.matches(file.etag())) {
                return new Result.NotModified(file);
            }
            if (!withContent) {
                return new Result.Found(file, Optional.empty());
            }
            Optional<TextContent> content = hit.file().content().or(() -> blobs.get(file.blobKey()));
            if (content.isPresent()) {
                return new Result.Found(file, content);
            }
            // The cached revision was replaced and its blob removed: read through.
        }
        return readThrough(name, ifNoneMatch, withContent);
    }

    private Result readThrough(FileName name, ETagMatch ifNoneMatch, boolean withContent) {
        for (int attempt = 1; ; attempt++) {
            Instant loadedAt = clock.instant();
            Optional<FileMetadata> found = metadata.findLive(name, loadedAt);
            if (found.isEmpty()) {
                return new Result.NotFound(name);
            }
            FileMetadata file = found.get();
            if (ifNoneMatch.matches(file.etag()) || !withContent) {
                cache.put(new CachedFile(file, Optional.empty()), loadedAt);
                return ifNoneMatch.matches(file.etag())
                        ? new Result.NotModified(file)
                        : new Result.Found(file, Optional.empty());
            }
            Optional<TextContent> content = blobs.get(file.blobKey());
            if (content.isPresent()) {
                cache.put(new CachedFile(file, content), loadedAt);
                return new Result.Found(file, content);
            }
            if (attempt == ATTEMPTS) {
                throw new DependencyFailureException("blob store",
                        "the content of a live file is missing (revision " + file.etag() + ")");
            }
        }
    }
}
