package io.helloserverless.adapters.redis;

import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.domain.ETag;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.TextContent;
import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.port.FileCache;
import io.helloserverless.core.port.FileCache.CachedFile;
import io.helloserverless.core.port.HealthProbe;
import java.lang.System.Logger.Level;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The cache of an execution environment: an in-process tier (L1) in front of Redis (L2).
 *
 * <p>Redis closes the stale-read race for every environment: {@link #invalidate} replaces the key
 * by a marker living for the invalidation window ({@code SET key marker PX window}) and
 * {@link #put} only writes where there is neither value nor marker ({@code SET key value NX PX
 * ttl}). L1 keeps markers of its own environment's invalidations; those of other environments
 * never reach it, so it may serve a file up to the local TTL after another environment changed it.
 *
 * <p>Every entry expires {@code maxAge} after its data was loaded from the stores, in both tiers,
 * and the expiry travels with the value: a reader checks it against its own clock, so an entry
 * whose {@code SET} waited in a frozen socket, or whose invalidation never reached Redis, is not
 * served past it. That is the bound on staleness whatever Redis does (ADR 0009).
 *
 * <p>While Redis is failing, skipped by the circuit breaker or (connecting in the background) not
 * connected yet, {@link #get} answers from L1 or misses and {@link #put} fills L1 only; neither
 * throws. {@link #invalidate} still marks L1 and
 * then throws {@link DependencyFailureException}, so the caller logs that other environments may
 * serve the old file until their TTLs run out.
 *
 * <p>{@code clock} must be the clock the use cases take {@code loadedAt} from.
 */
public final class TieredFileCache implements ReportingFileCache, AutoCloseable {

    private static final System.Logger LOG = System.getLogger(TieredFileCache.class.getName());

    private final CacheSettings settings;
    private final Clock clock;
    private final CacheCodec codec;
    private final LocalTier local;
    private final RedisTier shared;

    /** How the Redis connection is first opened. */
    public enum Connecting {
        /** By the first call that needs Redis, which waits for it (up to the connect timeout). */
        ON_FIRST_USE,
        /**
         * By {@link #connectInBackground()}, or by an invalidation or a probe, which wait for it.
         * Until it is open, {@link #get} and {@link #put} skip Redis (a miss, a fill of L1 only)
         * without waiting: a cold execution environment answers its first reads from the stores
         * while Lettuce and Netty load on another thread (docs/adr/0018).
         */
        IN_BACKGROUND
    }

    /** A cache whose Redis connection is opened by the first call that needs it. */
    public TieredFileCache(CacheSettings settings, RedisSettings redis, Clock clock) {
        this(settings, redis, clock, Connecting.ON_FIRST_USE);
    }

    public TieredFileCache(CacheSettings settings, RedisSettings redis, Clock clock, Connecting connecting) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.codec = new CacheCodec(settings.namespace());
        this.local = new LocalTier(settings, clock);
        this.shared = new RedisTier(Objects.requireNonNull(redis, "redis"), settings,
                Objects.requireNonNull(connecting, "connecting"));
    }

    /**
     * Starts opening the Redis connection on a daemon thread and returns at once (nothing happens
     * if it is open or being opened). With {@link Connecting#IN_BACKGROUND}, reads that find no
     * connection from then on start one the same way, until {@link #close}.
     */
    public void connectInBackground() {
        shared.connectInBackground();
    }

    @Override
    public Lookup get(FileName name, Consumer<CacheTier> hits) {
        Optional<Lookup> known = local.lookup(name);
        if (known.isPresent()) {
            if (known.get() instanceof Lookup.Hit) {
                hits.accept(CacheTier.LOCAL);
            }
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
        Optional<CacheCodec.Entry> entry;
        try {
            entry = CacheCodec.decode(value);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.WARNING, "ignoring a Redis value this cache cannot read: {0}", e.toString());
            return Lookup.MISS;
        }
        // a marker, or an entry past its age limit that Redis still holds (a SET run late, a clock ahead)
        if (entry.isEmpty() || !entry.get().expiresAt().isAfter(clock.instant())) {
            return Lookup.MISS;
        }
        local.fill(entry.get().file(), entry.get().expiresAt());
        hits.accept(CacheTier.SHARED);
        return new Lookup.Hit(entry.get().file());
    }

    @Override
    public void put(CachedFile file, Instant loadedAt) {
        FileName name = file.metadata().name();
        Instant now = clock.instant();
        Instant expiresAt = loadedAt.plus(settings.maxAge());
        if (!settings.acceptsDataLoadedAt(loadedAt, now) || !expiresAt.isAfter(now) || local.isInvalidated(name)) {
            return;
        }
        CachedFile cacheable = settings.cacheable(file);
        boolean stored;
        try {
            stored = shared.setIfAbsent(codec.key(name), CacheCodec.encode(new CacheCodec.Entry(cacheable, expiresAt)),
                    expiresAt);
        } catch (DependencyFailureException e) {
            // while Redis is out, L1 alone still saves this environment its store round trips
            stored = true;
        }
        if (stored) {
            local.fill(cacheable, expiresAt);
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

    /**
     * Loads both tiers' code paths without Redis (an entry encoded and decoded, Lettuce's commands
     * encoded and their replies decoded), for a SnapStart checkpoint hook; connects nothing.
     */
    public static void prime(RedisSettings redis, CacheSettings settings) {
        Instant now = Instant.now();
        TextContent content = TextContent.ofStored("primed".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        ETag revision = new ETag("0".repeat(32));
        FileMetadata metadata = new FileMetadata(FileName.of("primed.txt"), content.size(), content.sha256(), revision, 1,
                now, now, now.plusSeconds(60), BlobKey.forRevision(revision));
        new CacheCodec(settings.namespace()).key(metadata.name());
        CacheCodec.decode(CacheCodec.encode(new CacheCodec.Entry(new CachedFile(metadata, Optional.of(content)), now)));
        RedisTier.prime(redis, settings);
    }

    /**
     * Closes the Redis connection and forgets its login; the next call reconnects (with
     * {@link Connecting#IN_BACKGROUND}: the next invalidation, probe or {@link #connectInBackground}).
     */
    @Override
    public void close() {
        shared.close();
    }
}
