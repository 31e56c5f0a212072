package io.helloserverless.adapters.redis;

import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.port.FileCache;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

/** A cache that can say which of its tiers answered each hit, for whoever logs requests. */
public interface ReportingFileCache extends FileCache {

    /** A lookup that tells {@code hits} which tier answered, when one did. */
    Lookup get(FileName name, Consumer<CacheTier> hits);

    @Override
    default Lookup get(FileName name) {
        return get(name, tier -> { });
    }

    /** This same cache (same entries, same connection), reporting the tier of every hit to {@code hits}. */
    default FileCache reportingTo(Consumer<CacheTier> hits) {
        Objects.requireNonNull(hits, "hits");
        ReportingFileCache cache = this;
        return new FileCache() {
            @Override
            public Lookup get(FileName name) {
                return cache.get(name, hits);
            }

            @Override
            public void put(CachedFile file, Instant loadedAt) {
                cache.put(file, loadedAt);
            }

            @Override
            public void invalidate(FileName name) {
                cache.invalidate(name);
            }
        };
    }
}
