package io.helloserverless.adapters.redis;

import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.port.FileCache;
import io.helloserverless.core.port.HealthProbe;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The cache of an execution environment: an in-process tier (L1) in front of Redis (L2).
 *
 * <p>Redis closes the stale-read race for every environment: {@link #invalidate} replaces the key
 * by a marker living for the invalidation window ({@code SET key marker PX window}) and
 * {@link #put} only writes where there is neither value nor marker ({@code SET key value NX PX
 * ttl}). L1 keeps markers of its own environment's invalidations; those of other environments
 * never reach it, so it may serve a file up to the local TTL after another environment changed it.
 *
 * <p>While Redis is failing or skipped by the circuit breaker, {@link #get} answers from L1 or
 * misses and {@link #put} fills L1 only; neither throws. {@link #invalidate} still marks L1 and
 * then throws {@link DependencyFailureException}, so the caller logs that other environments may
 * serve the old file until their TTLs run out.
 *
 * <p>{@code clock} must be the clock the use cases take {@code loadedAt} from.
 */
public final class TieredFileCache implements FileCache, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TieredFileCache.class.getName());

    private final CacheSettings settings;
    private final Clock clock;
    private final CacheCodec codec;
    private final LocalTier local;
    private final RedisTier shared;

    public TieredFileCache(CacheSettings settings, RedisSettings redis, Clock clock) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.codec = new CacheCodec(settings.namespace());
        this.local = new LocalTier(settings, clock);
        this.shared = new RedisTier(Objects.requireNonNull(redis, "redis"), settings);
    }

    @Override
    public Lookup get(FileName name) {
        Optional<Lookup> known = local.lookup(name);
        if (known.isPresent()) {
            return known.get();
        }
        byte[] value;
        try {
            value = shared.get(codec.key(name));
        } catch (DependencyFailureException e) {
            return Lookup.MISS;
        }
        if (value == null) {
            return Lookup.MISS;
        }
        Optional<CachedFile> file;
        try {
            file = CacheCodec.decode(value);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "ignoring a Redis value this cache cannot read: {0}", e.toString());
            return Lookup.MISS;
        }
        file.ifPresent(local::fill);
        return file.<Lookup>map(cached -> new Lookup.Hit(cached, Tier.SHARED)).orElse(Lookup.MISS);
    }

    @Override
    public void put(CachedFile file, Instant loadedAt) {
        FileName name = file.metadata().name();
        if (!settings.acceptsDataLoadedAt(loadedAt, clock.instant()) || local.isInvalidated(name)) {
            return;
        }
        CachedFile cacheable = settings.cacheable(file);
        boolean stored;
        try {
            stored = shared.setIfAbsent(codec.key(name), CacheCodec.encode(cacheable));
        } catch (DependencyFailureException e) {
            // while Redis is out, L1 alone still saves this environment its store round trips
            stored = true;
        }
        if (stored) {
            local.fill(cacheable);
        }
    }

    @Override
    public void invalidate(FileName name) {
        local.invalidate(name);
        shared.mark(codec.key(name));
    }

    /** A PING to Redis within the command timeout (or a failure at once while the breaker is open). */
    public HealthProbe healthProbe() {
        return shared::ping;
    }

    @Override
    public void close() {
        shared.close();
    }
}
