package io.helloserverless.core.port;

import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.domain.TextContent;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A read-through cache in front of the metadata store (and, for small files, the blob store).
 * It is an optimisation only: the use cases ignore its failures.
 *
 * <p>The stale-read race: a reader loads revision 1 from the store, a writer commits revision 2
 * and invalidates, then the reader puts revision 1. Implementations close it with an
 * invalidation window {@code W}: {@link #invalidate} leaves a marker that lives for {@code W}
 * and refuses every {@link #put} while it lives, and a put whose data was loaded more than
 * {@code W} ago ({@code loadedAt}, taken before the load started) is refused too. A put that
 * raced a writer therefore always meets the marker. Entries also expire a bounded time after
 * {@code loadedAt}, which bounds staleness when an invalidation itself failed or was lost.
 */
public interface FileCache {

    /** No cache at all: every read goes to the stores. For an embedding service that wants none. */
    FileCache NONE = new FileCache() {
        @Override
        public Lookup get(FileName name) {
            return Lookup.MISS;
        }

        @Override
        public void put(CachedFile file, Instant loadedAt) {
            // nothing is kept
        }

        @Override
        public void invalidate(FileName name) {
            // nothing to invalidate
        }
    };

    Lookup get(FileName name);

    void put(CachedFile file, Instant loadedAt);

    void invalidate(FileName name);

    /** What is cached of a file: always its metadata, its content when it is small enough. */
    record CachedFile(FileMetadata metadata, Optional<TextContent> content) {
        public CachedFile {
            Objects.requireNonNull(metadata, "metadata");
            Objects.requireNonNull(content, "content");
        }
    }

    sealed interface Lookup {
        record Hit(CachedFile file) implements Lookup {
        }

        record Miss() implements Lookup {
        }

        Lookup MISS = new Miss();
    }
}
