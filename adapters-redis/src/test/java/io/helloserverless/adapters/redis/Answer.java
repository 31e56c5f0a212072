package io.helloserverless.adapters.redis;

import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.port.FileCache.CachedFile;
import io.helloserverless.core.port.FileCache.Lookup;
import java.util.concurrent.atomic.AtomicReference;

/** What a lookup found, and which tier answered it (none on a miss). */
record Answer(Lookup lookup, CacheTier tier) {

    static Answer of(ReportingFileCache cache, FileName name) {
        AtomicReference<CacheTier> tier = new AtomicReference<>();
        Lookup lookup = cache.get(name, tier::set);
        return new Answer(lookup, tier.get());
    }

    static Answer hit(CachedFile file, CacheTier tier) {
        return new Answer(new Lookup.Hit(file), tier);
    }
}
