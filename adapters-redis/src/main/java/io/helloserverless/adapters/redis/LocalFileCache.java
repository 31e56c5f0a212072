package io.helloserverless.adapters.redis;

import io.helloserverless.core.domain.FileName;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The cache in process memory alone, for a single process such as the laptop server, where every
 * invalidation reaches the one tier there is. {@code clock} must be the clock the use cases take
 * {@code loadedAt} from.
 */
public final class LocalFileCache implements ReportingFileCache {

    private final CacheSettings settings;
    private final Clock clock;
    private final LocalTier local;

    public LocalFileCache(CacheSettings settings, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.local = new LocalTier(settings, clock);
    }

    @Override
    public Lookup get(FileName name, Consumer<CacheTier> hits) {
        Lookup lookup = local.lookup(name).orElse(Lookup.MISS);
        if (lookup instanceof Lookup.Hit) {
            hits.accept(CacheTier.LOCAL);
        }
        return lookup;
    }

    @Override
    public void put(CachedFile file, Instant loadedAt) {
        if (settings.acceptsDataLoadedAt(loadedAt, clock.instant())) {
            local.fill(settings.cacheable(file), loadedAt.plus(settings.localTtl()));
        }
    }

    @Override
    public void invalidate(FileName name) {
        local.invalidate(name);
    }
}
