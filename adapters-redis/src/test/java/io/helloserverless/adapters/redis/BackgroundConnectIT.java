package io.helloserverless.adapters.redis;

import static io.helloserverless.core.testing.TestFiles.file;
import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.adapters.redis.TieredFileCache.Connecting;
import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.port.FileCache.CachedFile;
import io.helloserverless.core.port.FileCache.Lookup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A cache connecting in the background ({@link Connecting#IN_BACKGROUND}), on a Redis of the
 * test's own: reads and puts never open the connection nor wait for it, an invalidation does,
 * and the connection opens once asked for (again after a failure, or after a close only once asked
 * again). Whether a put reached Redis is seen from a second cache, as another environment sees it.
 */
class BackgroundConnectIT {

    private static final Duration BREAKER_OPEN = Duration.ofMillis(500);
    private static final Duration DEADLINE = Duration.ofSeconds(15);

    private final CacheSettings settings = TestRedis.isolated().withBreakerOpenTime(BREAKER_OPEN);
    private final List<AutoCloseable> opened = new ArrayList<>();
    private RedisServerProcess server;
    /** Another environment, which sees whether a put reached Redis. */
    private TieredFileCache observer;

    @BeforeEach
    void startRedis() throws Exception {
        server = RedisServerProcess.start();
        opened.add(server);
        observer = environment(Connecting.ON_FIRST_USE);
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }

    private TieredFileCache environment(Connecting connecting) {
        TieredFileCache cache = new TieredFileCache(settings, server.settings(), Clock.systemUTC(), connecting);
        opened.add(cache);
        return cache;
    }

    private static CachedFile cached() {
        String name = "background-" + UUID.randomUUID() + ".txt";
        return new CachedFile(file(name, "content of " + name, Instant.now()), Optional.of(text("content of " + name)));
    }

    /** Whether {@code cache}'s put of a new file reaches Redis, as a second environment sees it. */
    private boolean putReachesRedis(TieredFileCache cache) {
        CachedFile file = cached();
        cache.put(file, Instant.now());
        return Answer.of(observer, file.metadata().name()).tier() == CacheTier.SHARED;
    }

    private void awaitPutsReachRedis(TieredFileCache cache) throws InterruptedException {
        Instant deadline = Instant.now().plus(DEADLINE);
        while (!putReachesRedis(cache)) {
            assertTrue(Instant.now().isBefore(deadline), "no put reached Redis within " + DEADLINE);
            Thread.sleep(50);
        }
    }

    @Test
    void readsAndPutsSkipRedisUntilTheConnectionIsAskedFor() throws Exception {
        TieredFileCache cache = environment(Connecting.IN_BACKGROUND);
        CachedFile file = cached();

        cache.put(file, Instant.now());

        assertEquals(Answer.hit(file, CacheTier.LOCAL), Answer.of(cache, file.metadata().name()), "L1 still filled");
        assertInstanceOf(Lookup.Miss.class, environment(Connecting.ON_FIRST_USE).get(file.metadata().name()),
                "the put skipped Redis");
        Thread.sleep(500);
        assertFalse(putReachesRedis(cache), "no read or put opened the connection by itself");

        cache.connectInBackground();

        awaitPutsReachRedis(cache);
    }

    @Test
    void anOnFirstUseCacheStillConnectsOnItsFirstPut() {
        assertTrue(putReachesRedis(environment(Connecting.ON_FIRST_USE)));
    }

    @Test
    void anInvalidationWaitsForTheConnectionItNeeds() {
        TieredFileCache writer = environment(Connecting.IN_BACKGROUND);
        TieredFileCache reader = environment(Connecting.ON_FIRST_USE);
        CachedFile stale = cached();
        Instant loadedAt = Instant.now();

        writer.invalidate(stale.metadata().name());
        reader.put(stale, loadedAt);

        assertInstanceOf(Lookup.Miss.class, environment(Connecting.ON_FIRST_USE).get(stale.metadata().name()),
                "the writer's marker reached Redis and refused the reader's put");
    }

    @Test
    void aReadDoesNotWaitForAConnectionUnderWay() throws Exception {
        server.freeze();
        TieredFileCache cache = environment(Connecting.IN_BACKGROUND);
        cache.connectInBackground();
        Thread.sleep(100);

        long started = System.nanoTime();
        Lookup lookup = cache.get(cached().metadata().name());
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertInstanceOf(Lookup.Miss.class, lookup);
        assertTrue(took.compareTo(settings.connectTimeout().dividedBy(2)) < 0,
                "the read waited " + took + " for a connect that may take " + settings.connectTimeout());
        server.thaw();
    }

    @Test
    void aReadStartsAnotherConnectOnceTheBreakerAllowsAfterAFailedOne() throws Exception {
        server.kill();
        TieredFileCache cache = environment(Connecting.IN_BACKGROUND);
        cache.connectInBackground();
        // a probe waits for the connect under way: it fails, and Redis is skipped for the breaker's open time
        assertThrows(DependencyFailureException.class, () -> cache.healthProbe().probe());
        server.restart();
        CachedFile file = cached();
        observer.put(file, Instant.now());

        Instant deadline = Instant.now().plus(DEADLINE);
        while (Answer.of(cache, file.metadata().name()).tier() != CacheTier.SHARED) {
            assertTrue(Instant.now().isBefore(deadline), "no read reconnected within " + DEADLINE);
            Thread.sleep(50);
        }
    }

    @Test
    void afterACloseOnlyAskingAgainConnects() throws Exception {
        TieredFileCache cache = environment(Connecting.IN_BACKGROUND);
        cache.connectInBackground();
        awaitPutsReachRedis(cache);

        cache.close();

        assertFalse(putReachesRedis(cache), "closed");
        Thread.sleep(500);
        assertFalse(putReachesRedis(cache), "a put reconnected a closed cache by itself");
        cache.connectInBackground();
        awaitPutsReachRedis(cache);
    }
}
