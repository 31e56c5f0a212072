package io.helloserverless.core.usecase;

import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.port.FileCache;
import java.lang.System.Logger.Level;
import java.time.Instant;

/** Keeps a cache failure from ever failing a use case: a failed lookup is a miss. */
final class SafeCache implements FileCache {

    private static final System.Logger LOG = System.getLogger(SafeCache.class.getName());

    private final FileCache cache;

    private SafeCache(FileCache cache) {
        this.cache = cache;
    }

    static FileCache around(FileCache cache) {
        return cache instanceof SafeCache ? cache : new SafeCache(cache);
    }

    @Override
    public Lookup get(FileName name) {
        try {
            return cache.get(name);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cache lookup failed; reading through: {0}", e.toString());
            return Lookup.MISS;
        }
    }

    @Override
    public void put(CachedFile file, Instant loadedAt) {
        try {
            cache.put(file, loadedAt);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cache put failed: {0}", e.toString());
        }
    }

    @Override
    public void invalidate(FileName name) {
        try {
            cache.invalidate(name);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "cache invalidation failed; entries expire by TTL: {0}", e.toString());
        }
    }
}
