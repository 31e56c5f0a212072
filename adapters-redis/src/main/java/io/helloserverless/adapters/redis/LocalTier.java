package io.helloserverless.adapters.redis;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.domain.TextContent;
import io.helloserverless.core.port.FileCache.CachedFile;
import io.helloserverless.core.port.FileCache.Lookup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The in-process tier (L1), with the same invalidation markers as Redis: a marker replaces the
 * entry for the invalidation window, and a fill only lands where there is neither. An entry lives
 * for the local TTL, never past the expiry it was filled with. Markers weigh nothing, so the size
 * limit never evicts one (Caffeine leaves zero-weight entries to expiry): an evicted marker would
 * let a put that raced a write re-install the old revision.
 */
final class LocalTier {

    /** A rough cost of one entry beyond its content: metadata strings, object headers, Caffeine's node. */
    private static final int ENTRY_OVERHEAD_BYTES = 512;

    private sealed interface Slot {
    }

    private record Filled(CachedFile file, Instant expiresAt) implements Slot {
    }

    private record Invalidated() implements Slot {
    }

    private static final Slot INVALIDATED = new Invalidated();

    private final Cache<FileName, Slot> slots;

    LocalTier(CacheSettings settings, Clock clock) {
        this.slots = Caffeine.newBuilder()
                .ticker(() -> nanosSinceEpoch(clock.instant()))
                // maintenance on the calling thread: no pool thread in a frozen Lambda environment
                .executor(Runnable::run)
                .maximumWeight(settings.localMaxWeightBytes())
                .weigher(LocalTier::weight)
                .expireAfter(Expiry.<FileName, Slot>writing((name, slot) -> switch (slot) {
                    case Filled filled -> min(settings.localTtl(), Duration.between(clock.instant(), filled.expiresAt()));
                    case Invalidated invalidated -> settings.invalidationWindow();
                }))
                .build();
    }

    /** A hit, a miss because the name was invalidated recently, or empty when this tier knows nothing. */
    Optional<Lookup> lookup(FileName name) {
        return switch (slots.getIfPresent(name)) {
            case null -> Optional.empty();
            case Filled filled -> Optional.of(new Lookup.Hit(filled.file()));
            case Invalidated invalidated -> Optional.of(Lookup.MISS);
        };
    }

    boolean isInvalidated(FileName name) {
        return slots.getIfPresent(name) instanceof Invalidated;
    }

    /**
     * Stores {@code file} until {@code expiresAt} at the latest, unless its name holds an entry or a
     * marker, as {@code SET NX} does in Redis.
     */
    void fill(CachedFile file, Instant expiresAt) {
        slots.asMap().putIfAbsent(file.metadata().name(), new Filled(file, expiresAt));
    }

    void invalidate(FileName name) {
        slots.put(name, INVALIDATED);
    }

    private static int weight(FileName name, Slot slot) {
        return switch (slot) {
            case Filled filled -> ENTRY_OVERHEAD_BYTES + 2 * name.value().length()
                    + filled.file().content().map(TextContent::size).orElse(0);
            case Invalidated invalidated -> 0;
        };
    }

    /** The shorter of the two, never negative (an expiry already past means at once). */
    private static Duration min(Duration a, Duration b) {
        Duration shorter = a.compareTo(b) <= 0 ? a : b;
        return shorter.isNegative() ? Duration.ZERO : shorter;
    }

    private static long nanosSinceEpoch(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }
}
