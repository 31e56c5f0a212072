package io.helloserverless.adapters.redis;

import static io.helloserverless.core.testing.TestFiles.T0;
import static io.helloserverless.core.testing.TestFiles.file;
import static io.helloserverless.core.testing.TestFiles.name;
import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.core.port.FileCache;
import io.helloserverless.core.port.FileCache.CachedFile;
import io.helloserverless.core.port.FileCache.Lookup;
import io.helloserverless.core.testing.FileCacheContract;
import io.helloserverless.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LocalFileCacheTest extends FileCacheContract {

    private static final CacheSettings SETTINGS = CacheSettings.defaults();

    private final MutableClock clock = new MutableClock(T0);
    private final LocalFileCache cache = new LocalFileCache(SETTINGS, clock);

    @Override
    protected FileCache cache() {
        return cache;
    }

    @Override
    protected Duration invalidationWindow() {
        return SETTINGS.invalidationWindow();
    }

    @Override
    protected Instant now() {
        return clock.instant();
    }

    @Override
    protected void letTimePass(Duration duration) {
        clock.advance(duration);
    }

    private CachedFile cached(String name, String content) {
        return new CachedFile(file(name, content, clock.instant()), Optional.of(text(content)));
    }

    @Test
    void answersFromTheLocalTier() {
        CachedFile file = cached("local.txt", "here");
        cache.put(file, clock.instant());

        assertEquals(Answer.hit(file, CacheTier.LOCAL), Answer.of(cache, file.metadata().name()));
    }

    @Test
    void forgetsAnEntryOnceTheLocalTtlHasPassed() {
        CachedFile file = cached("short-lived.txt", "soon gone");
        cache.put(file, clock.instant());

        clock.advance(SETTINGS.localTtl().minusMillis(1));
        assertInstanceOf(Lookup.Hit.class, cache.get(file.metadata().name()));
        clock.advance(Duration.ofMillis(1));
        assertInstanceOf(Lookup.Miss.class, cache.get(file.metadata().name()));
    }

    @Test
    void keepsContentAtTheLimitAndOnlyTheMetadataOfLargerContent() {
        CachedFile atLimit = cached("at-limit.txt", "a".repeat(SETTINGS.maxContentBytes()));
        CachedFile aboveLimit = cached("above-limit.txt", "a".repeat(SETTINGS.maxContentBytes() + 1));

        cache.put(atLimit, clock.instant());
        cache.put(aboveLimit, clock.instant());

        assertEquals(atLimit, assertInstanceOf(Lookup.Hit.class, cache.get(atLimit.metadata().name())).file());
        assertEquals(new CachedFile(aboveLimit.metadata(), Optional.empty()),
                assertInstanceOf(Lookup.Hit.class, cache.get(aboveLimit.metadata().name())).file());
    }

    @Test
    void keepsAnInvalidationMarkerWhenTheWeightLimitEvictsEntries() {
        int contentBytes = 10 * 1024;
        LocalFileCache small = new LocalFileCache(SETTINGS.withLocalMaxWeightBytes(20L * contentBytes), clock);
        CachedFile raced = cached("raced.txt", "revision 1");
        Instant loadedAt = clock.instant();

        small.invalidate(raced.metadata().name());
        IntStream.range(0, 100).forEach(i -> small.put(cached("f" + i, "x".repeat(contentBytes)), clock.instant()));
        small.put(raced, loadedAt);

        assertInstanceOf(Lookup.Miss.class, small.get(raced.metadata().name()),
                "the marker outlived the eviction, so the put that raced the write was refused");
    }

    @Test
    void countsAnEntrysLifetimeFromWhenItsDataWasLoaded() {
        CachedFile file = cached("loaded-earlier.txt", "old");
        Instant loadedAt = clock.instant();
        clock.advance(SETTINGS.localTtl().dividedBy(2));

        cache.put(file, loadedAt);
        clock.advance(SETTINGS.localTtl().dividedBy(2));

        assertInstanceOf(Lookup.Miss.class, cache.get(file.metadata().name()));
    }

    @Test
    void staysWithinItsMaximumWeight() {
        int contentBytes = 10 * 1024;
        int fitting = 20;
        LocalFileCache small = new LocalFileCache(SETTINGS.withLocalMaxWeightBytes((long) fitting * contentBytes), clock);
        IntStream.range(0, 100).forEach(i -> small.put(cached("f" + i, "x".repeat(contentBytes)), clock.instant()));

        long hits = IntStream.range(0, 100)
                .filter(i -> small.get(name("f" + i)) instanceof Lookup.Hit)
                .count();

        assertTrue(hits > 0 && hits < fitting, "hits: " + hits);
    }
}
