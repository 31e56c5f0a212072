package io.helloserverless.adapters.redis;

import io.helloserverless.core.port.FileCache.CachedFile;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How the cache behaves, in both tiers.
 *
 * <ul>
 *   <li>{@code namespace} prefixes every Redis key; change it when the value format changes.
 *   <li>{@code localMaxWeightBytes} bounds the in-process tier, weighed roughly in bytes.
 *   <li>{@code localTtl} is short because an invalidation made by another execution environment
 *       never reaches this one's in-process tier: it bounds how stale that tier usually is.
 *   <li>{@code maxAge}: no tier serves an entry whose data was loaded from the stores longer ago
 *       than this, whatever happened to the invalidations (Redis down, frozen, slow, skipped by the
 *       breaker, a marker evicted). It is the bound on staleness (ADR 0009).
 *   <li>{@code invalidationWindow} is the {@code W} of the {@link io.helloserverless.core.port.FileCache}
 *       contract: how long an invalidation marker lives and how old a put's data may be.
 *   <li>{@code maxContentBytes}: a larger file is cached as metadata only.
 *   <li>{@code commandTimeout}, {@code connectTimeout}: a dead or hanging Redis costs at most
 *       this much per call that still tries it.
 *   <li>{@code breakerOpenTime}: after a Redis failure, Redis is skipped this long.
 * </ul>
 */
public record CacheSettings(
        String namespace,
        long localMaxWeightBytes,
        Duration localTtl,
        Duration maxAge,
        Duration invalidationWindow,
        int maxContentBytes,
        Duration commandTimeout,
        Duration connectTimeout,
        Duration breakerOpenTime) {

    public CacheSettings {
        Objects.requireNonNull(namespace, "namespace");
        if (namespace.isEmpty()) {
            throw new IllegalArgumentException("the namespace must not be empty");
        }
        if (localMaxWeightBytes <= 0 || maxContentBytes < 0) {
            throw new IllegalArgumentException("localMaxWeightBytes must be > 0 and maxContentBytes >= 0");
        }
        requirePositive(localTtl, "localTtl");
        requirePositive(maxAge, "maxAge");
        requirePositive(invalidationWindow, "invalidationWindow");
        requirePositive(commandTimeout, "commandTimeout");
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(breakerOpenTime, "breakerOpenTime");
    }

    public static CacheSettings defaults() {
        return new CacheSettings("hs:v2:", 32L * 1024 * 1024, Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofSeconds(10), 64 * 1024, Duration.ofMillis(50), Duration.ofSeconds(1),
                Duration.ofSeconds(10));
    }

    public CacheSettings withNamespace(String value) {
        return new CacheSettings(value, localMaxWeightBytes, localTtl, maxAge, invalidationWindow,
                maxContentBytes, commandTimeout, connectTimeout, breakerOpenTime);
    }

    public CacheSettings withLocalMaxWeightBytes(long value) {
        return new CacheSettings(namespace, value, localTtl, maxAge, invalidationWindow,
                maxContentBytes, commandTimeout, connectTimeout, breakerOpenTime);
    }

    public CacheSettings withLocalTtl(Duration value) {
        return new CacheSettings(namespace, localMaxWeightBytes, value, maxAge, invalidationWindow,
                maxContentBytes, commandTimeout, connectTimeout, breakerOpenTime);
    }

    public CacheSettings withMaxAge(Duration value) {
        return new CacheSettings(namespace, localMaxWeightBytes, localTtl, value, invalidationWindow,
                maxContentBytes, commandTimeout, connectTimeout, breakerOpenTime);
    }

    public CacheSettings withInvalidationWindow(Duration value) {
        return new CacheSettings(namespace, localMaxWeightBytes, localTtl, maxAge, value,
                maxContentBytes, commandTimeout, connectTimeout, breakerOpenTime);
    }

    public CacheSettings withMaxContentBytes(int value) {
        return new CacheSettings(namespace, localMaxWeightBytes, localTtl, maxAge, invalidationWindow,
                value, commandTimeout, connectTimeout, breakerOpenTime);
    }

    public CacheSettings withCommandTimeout(Duration value) {
        return new CacheSettings(namespace, localMaxWeightBytes, localTtl, maxAge, invalidationWindow,
                maxContentBytes, value, connectTimeout, breakerOpenTime);
    }

    public CacheSettings withConnectTimeout(Duration value) {
        return new CacheSettings(namespace, localMaxWeightBytes, localTtl, maxAge, invalidationWindow,
                maxContentBytes, commandTimeout, value, breakerOpenTime);
    }

    public CacheSettings withBreakerOpenTime(Duration value) {
        return new CacheSettings(namespace, localMaxWeightBytes, localTtl, maxAge, invalidationWindow,
                maxContentBytes, commandTimeout, connectTimeout, value);
    }

    /**
     * Whether data loaded at {@code loadedAt} may still be put at {@code now}: one loaded longer than
     * the invalidation window ago could have raced a writer whose marker has already expired.
     */
    boolean acceptsDataLoadedAt(Instant loadedAt, Instant now) {
        return now.isBefore(loadedAt.plus(invalidationWindow));
    }

    /** The part of {@code file} worth caching: its content only when it is small enough. */
    CachedFile cacheable(CachedFile file) {
        boolean tooLarge = file.content().map(content -> content.size() > maxContentBytes).orElse(false);
        return tooLarge ? new CachedFile(file.metadata(), Optional.empty()) : file;
    }

    private static void requirePositive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive");
        }
    }
}
