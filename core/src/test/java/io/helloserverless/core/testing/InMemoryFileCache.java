package io.helloserverless.core.testing;

import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.port.FileCache;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * The cache in memory, on a clock the test controls: entries live for {@code ttl}, and an
 * invalidation refuses puts for {@code invalidationWindow}, as {@link FileCache} requires.
 */
public final class InMemoryFileCache implements FileCache {

    private record Entry(CachedFile file, Instant expiresAt) {
    }

    private final Clock clock;
    private final Duration ttl;
    private final Duration invalidationWindow;
    private final Map<FileName, Entry> entries = new HashMap<>();
    private final Map<FileName, Instant> markers = new HashMap<>();
    private volatile boolean broken;

    private int hits;

    public InMemoryFileCache(Clock clock, Duration ttl, Duration invalidationWindow) {
        this.clock = clock;
        this.ttl = ttl;
        this.invalidationWindow = invalidationWindow;
    }

    /** A broken cache throws on every call, as an unreachable Redis would. */
    public void broken(boolean broken) {
        this.broken = broken;
    }

    @Override
    public synchronized Lookup get(FileName name) {
        failIfBroken();
        Entry entry = entries.get(name);
        if (entry == null || !clock.instant().isBefore(entry.expiresAt())) {
            return Lookup.MISS;
        }
        hits++;
        return new Lookup.Hit(entry.file());
    }

    /** How many lookups found an entry so far. */
    public synchronized int hits() {
        return hits;
    }

    @Override
    public synchronized void put(CachedFile file, Instant loadedAt) {
        failIfBroken();
        Instant now = clock.instant();
        Instant marker = markers.get(file.metadata().name());
        boolean markerLives = marker != null && now.isBefore(marker.plus(invalidationWindow));
        boolean loadedTooLongAgo = !now.isBefore(loadedAt.plus(invalidationWindow));
        if (!markerLives && !loadedTooLongAgo) {
            entries.put(file.metadata().name(), new Entry(file, now.plus(ttl)));
        }
    }

    @Override
    public synchronized void invalidate(FileName name) {
        failIfBroken();
        entries.remove(name);
        markers.put(name, clock.instant());
    }

    private void failIfBroken() {
        if (broken) {
            throw new DependencyFailureException("cache", "injected failure");
        }
    }
}
