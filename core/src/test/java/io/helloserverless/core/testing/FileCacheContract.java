package io.helloserverless.core.testing;

import static io.helloserverless.core.testing.TestFiles.file;
import static io.helloserverless.core.testing.TestFiles.name;
import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.port.FileCache;
import io.helloserverless.core.port.FileCache.CachedFile;
import io.helloserverless.core.port.FileCache.Lookup;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every {@link FileCache} must do, the stale-read race included; the fake and the
 * Redis/Caffeine adapter both run it. Time is the subclass's: a fake clock moves, a real
 * server's clock is waited for.
 */
public abstract class FileCacheContract {

    /** An empty cache whose invalidation window is {@link #invalidationWindow()}. */
    protected abstract FileCache cache();

    protected abstract Duration invalidationWindow();

    protected abstract Instant now();

    protected abstract void letTimePass(Duration duration);

    private CachedFile cached(String name, String text) {
        FileMetadata file = file(name, text, now());
        return new CachedFile(file, Optional.of(text(text)));
    }

    @Test
    void missesAFileNeverPut() {
        assertInstanceOf(Lookup.Miss.class, cache().get(name("never.txt")));
    }

    @Test
    void returnsWhatWasPut() {
        CachedFile file = cached("a.txt", "cached ✓");

        cache().put(file, now());

        Lookup.Hit hit = assertInstanceOf(Lookup.Hit.class, cache().get(file.metadata().name()));
        assertEquals(file, hit.file());
    }

    @Test
    void returnsMetadataPutWithoutContent() {
        CachedFile file = new CachedFile(file("meta.txt", "x", now()), Optional.empty());

        cache().put(file, now());

        Lookup.Hit hit = assertInstanceOf(Lookup.Hit.class, cache().get(file.metadata().name()));
        assertEquals(file, hit.file());
    }

    @Test
    void missesAFileAfterItWasInvalidated() {
        CachedFile file = cached("a.txt", "v1");
        cache().put(file, now());

        cache().invalidate(file.metadata().name());

        assertInstanceOf(Lookup.Miss.class, cache().get(file.metadata().name()));
    }

    @Test
    void refusesAPutOfDataLoadedBeforeAnInvalidation() {
        Instant loadedAt = now();
        CachedFile stale = cached("raced.txt", "v1");

        cache().invalidate(stale.metadata().name());
        cache().put(stale, loadedAt);

        assertInstanceOf(Lookup.Miss.class, cache().get(stale.metadata().name()));
    }

    @Test
    void refusesAPutOfDataLoadedLongerAgoThanTheInvalidationWindow() {
        Instant loadedAt = now();
        CachedFile old = cached("slow.txt", "v1");

        letTimePass(invalidationWindow().plusMillis(50));
        cache().put(old, loadedAt);

        assertInstanceOf(Lookup.Miss.class, cache().get(old.metadata().name()));
    }

    @Test
    void acceptsPutsAgainOnceTheInvalidationWindowHasPassed() {
        CachedFile file = cached("b.txt", "v2");
        cache().invalidate(file.metadata().name());

        letTimePass(invalidationWindow().plusMillis(50));
        cache().put(file, now());

        Lookup.Hit hit = assertInstanceOf(Lookup.Hit.class, cache().get(file.metadata().name()));
        assertEquals(file, hit.file());
    }

    @Test
    void keepsEntriesOfDifferentNamesApart() {
        CachedFile a = cached("a", "A");
        CachedFile b = cached("b", "B");
        cache().put(a, now());
        cache().put(b, now());

        cache().invalidate(a.metadata().name());

        assertInstanceOf(Lookup.Miss.class, cache().get(a.metadata().name()));
        assertEquals(b, assertInstanceOf(Lookup.Hit.class, cache().get(b.metadata().name())).file());
    }
}
