package io.helloserverless.adapters.redis;

import static io.helloserverless.core.testing.TestFiles.file;
import static io.helloserverless.core.testing.TestFiles.name;
import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.port.FileCache.CachedFile;
import io.helloserverless.core.port.FileCache.Lookup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Redis of the test's own dies or hangs under the cache: calls go on without exceptions and
 * stay cheap, and Redis is used again once it is back. Latencies are printed, and asserted only
 * against bounds a loaded machine keeps: no call slower than ten command timeouts, and few
 * calls waiting for a timeout at all, since the breaker skips Redis after the first one.
 */
class RedisOutageIT {

    private static final Duration BREAKER_OPEN = Duration.ofMillis(500);
    private static final Duration OUTAGE = Duration.ofMillis(1_500);
    private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(15);

    private final CacheSettings settings = CacheSettings.defaults()
            .withNamespace(TestRedis.namespace())
            .withInvalidationWindow(TestRedis.INVALIDATION_WINDOW)
            .withBreakerOpenTime(BREAKER_OPEN);
    private final Duration slowestAllowedCall = settings.commandTimeout().multipliedBy(10);
    private final List<AutoCloseable> opened = new ArrayList<>();
    private RedisServerProcess server;

    @BeforeEach
    void startRedis() throws Exception {
        server = RedisServerProcess.start();
        opened.add(server);
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }

    private TieredFileCache environment(CacheSettings cacheSettings) {
        TieredFileCache cache = new TieredFileCache(cacheSettings, server.settings(), Clock.systemUTC());
        opened.add(cache);
        return cache;
    }

    /**
     * A cache whose connection is open and whose classes are loaded, so the figures measure calls
     * only; the last probe fails if the breaker opened during the warm-up.
     */
    private TieredFileCache warmEnvironment() throws Exception {
        TieredFileCache cache = environment(settings);
        cache.healthProbe().probe();
        workload(cache, new Latencies("warm-up"), 50);
        cache.healthProbe().probe();
        return cache;
    }

    private static CachedFile cached(String name) {
        return new CachedFile(file(name, "content of " + name, Instant.now()), Optional.of(text("content of " + name)));
    }

    /** Each step puts a new file and looks up one never put, so both calls go to Redis while it is used. */
    private static void workload(TieredFileCache cache, Latencies latencies, int steps) {
        for (int i = 0; i < steps; i++) {
            step(cache, latencies, i);
        }
    }

    private static void workloadFor(TieredFileCache cache, Latencies latencies, Duration duration)
            throws InterruptedException {
        Instant end = Instant.now().plus(duration);
        for (int i = 0; Instant.now().isBefore(end); i++) {
            step(cache, latencies, i);
            Thread.sleep(2);
        }
    }

    private static void step(TieredFileCache cache, Latencies latencies, int i) {
        CachedFile file = cached(latencies.phase + "-" + i);
        latencies.time(() -> {
            cache.put(file, Instant.now());
            return null;
        });
        assertInstanceOf(Lookup.Miss.class, latencies.time(() -> cache.get(name("absent-" + latencies.phase + "-" + i))));
    }

    private void assertEveryCallWithinBound(Latencies latencies) {
        assertTrue(latencies.max().compareTo(slowestAllowedCall) < 0,
                latencies.phase + ": slowest call " + latencies.max() + ", allowed " + slowestAllowedCall);
    }

    /** Polls until a file another environment wrote after the outage is read from Redis through {@code cache}. */
    private Duration awaitRecovery(TieredFileCache cache) throws Exception {
        Instant start = Instant.now();
        TieredFileCache other = environment(settings);
        CachedFile written = cached("written-after-the-outage.txt");
        other.put(written, Instant.now());
        assertEquals(Answer.hit(written, CacheTier.SHARED), Answer.of(environment(settings), written.metadata().name()),
                "the restarted Redis holds what another environment wrote");
        Instant deadline = start.plus(RECOVERY_DEADLINE);
        while (!(Answer.of(cache, written.metadata().name()).tier() == CacheTier.SHARED)) {
            assertTrue(Instant.now().isBefore(deadline), "Redis still unused " + RECOVERY_DEADLINE + " after it came back");
            Thread.sleep(20);
        }
        CachedFile afterwards = cached("written-once-recovered.txt");
        cache.put(afterwards, Instant.now());
        assertEquals(Answer.hit(afterwards, CacheTier.SHARED), Answer.of(environment(settings), afterwards.metadata().name()),
                "puts reach Redis again");
        return Duration.between(start, Instant.now());
    }

    @Test
    void keepsCallsCheapWhileRedisIsDeadAndUsesItAgainOnceItIsBack() throws Exception {
        TieredFileCache cache = warmEnvironment();
        Latencies up = new Latencies("redis up");
        workload(cache, up, 200);
        cache.healthProbe().probe();

        server.kill();
        Latencies dead = new Latencies("redis dead");
        workloadFor(cache, dead, OUTAGE);
        CachedFile keptLocally = cached("kept-locally.txt");
        cache.put(keptLocally, Instant.now());
        Answer duringOutage = Answer.of(cache, keptLocally.metadata().name());

        server.restart();
        Duration recovery = awaitRecovery(cache);

        up.print();
        dead.print();
        System.out.printf("[redis-outage] dead: L2 used again %d ms after the restart%n", recovery.toMillis());
        assertEveryCallWithinBound(up);
        assertEveryCallWithinBound(dead);
        assertEquals(Answer.hit(keptLocally, CacheTier.LOCAL), duringOutage);
    }

    @Test
    void keepsCallsCheapWhileRedisHangsAndUsesItAgainOnceItAnswers() throws Exception {
        TieredFileCache cache = warmEnvironment();

        server.freeze();
        Latencies firstTimeout = new Latencies("redis frozen, first call");
        step(cache, firstTimeout, 0);
        Latencies frozen = new Latencies("redis frozen, breaker open");
        workloadFor(cache, frozen, OUTAGE);

        server.thaw();
        Duration recovery = awaitRecovery(cache);

        firstTimeout.print();
        frozen.print();
        System.out.printf("[redis-outage] frozen: L2 used again %d ms after SIGCONT%n", recovery.toMillis());
        assertEveryCallWithinBound(firstTimeout);
        assertEveryCallWithinBound(frozen);
        assertTrue(firstTimeout.max().compareTo(settings.commandTimeout()) >= 0,
                "the first call waited for the command timeout: Redis was really frozen");
        long trials = OUTAGE.dividedBy(BREAKER_OPEN) + 1;
        assertTrue(frozen.slowerThan(settings.commandTimeout().dividedBy(2)) <= trials,
                "only the breaker's trials wait for Redis: " + frozen.slowerThan(settings.commandTimeout().dividedBy(2)));
    }

    /**
     * The fault that served a replaced revision for 70 s: a fill sent just before Redis froze waits
     * in the socket and runs at SIGCONT. Its entry must not outlive the age limit counted from when
     * its data was loaded, however late it lands.
     */
    @Test
    void servesNoFillThatLandedLateInAFrozenRedisPastItsMaxAge() throws Exception {
        CacheSettings bounded = settings.withMaxAge(Duration.ofMillis(2_000)).withInvalidationWindow(Duration.ofSeconds(3));
        TieredFileCache filler = environment(bounded);
        filler.healthProbe().probe();
        CachedFile file = cached("filled-before-the-freeze.txt");
        Instant loadedAt = Instant.now();

        server.freeze();
        filler.put(file, loadedAt);
        Thread.sleep(1_000);
        server.thaw();
        Thread.sleep(100);

        TieredFileCache reader = environment(bounded);
        assertEquals(Answer.hit(file, CacheTier.SHARED), Answer.of(reader, file.metadata().name()),
                "the fill ran late, at SIGCONT");
        Thread.sleep(Duration.between(Instant.now(), loadedAt.plus(bounded.maxAge())).plusMillis(100));
        assertInstanceOf(Lookup.Miss.class, reader.get(file.metadata().name()), "the reader's L1");
        assertInstanceOf(Lookup.Miss.class, environment(bounded).get(file.metadata().name()), "Redis");
    }

    @Test
    void givesUpAFirstConnectionToAHangingRedisWithinTheConnectTimeout() throws Exception {
        warmEnvironment();
        server.freeze();
        TieredFileCache cache = environment(settings);

        Latencies firstConnection = new Latencies("redis frozen, first connect");
        Lookup lookup = firstConnection.time(() -> cache.get(name("anything.txt")));

        firstConnection.print();
        assertInstanceOf(Lookup.Miss.class, lookup);
        Duration bound = settings.connectTimeout().plus(slowestAllowedCall);
        assertTrue(firstConnection.max().compareTo(bound) < 0, "first connect took " + firstConnection.max());
    }

    @Test
    void reportsAnInvalidationThatCannotReachRedisAndStillForgetsTheFileLocally() throws Exception {
        TieredFileCache cache = warmEnvironment();
        CachedFile file = cached("changed-during-the-outage.txt");
        cache.put(file, Instant.now());

        server.kill();

        assertThrows(DependencyFailureException.class, () -> cache.invalidate(file.metadata().name()));
        assertInstanceOf(Lookup.Miss.class, cache.get(file.metadata().name()));
        assertThrows(DependencyFailureException.class, () -> cache.invalidate(file.metadata().name()),
                "with the breaker open too");
        assertThrows(DependencyFailureException.class, () -> cache.healthProbe().probe());
    }

    @Test
    void connectsOnFirstUseNotWhenBuilt() throws Exception {
        server.kill();
        TieredFileCache cache = environment(settings);
        server.restart();
        CachedFile file = cached("first-use.txt");

        cache.put(file, Instant.now());

        assertEquals(Answer.hit(file, CacheTier.SHARED), Answer.of(environment(settings), file.metadata().name()));
    }

    /** Wall-clock time of each call in one phase of a test. */
    private static final class Latencies {

        private final String phase;
        private final List<Long> nanos = new ArrayList<>();

        Latencies(String phase) {
            this.phase = phase;
        }

        <T> T time(Supplier<T> call) {
            long start = System.nanoTime();
            T result = call.get();
            nanos.add(System.nanoTime() - start);
            return result;
        }

        Duration max() {
            return Duration.ofNanos(nanos.stream().mapToLong(Long::longValue).max().orElseThrow());
        }

        long slowerThan(Duration duration) {
            return nanos.stream().filter(n -> n > duration.toNanos()).count();
        }

        void print() {
            List<Long> sorted = nanos.stream().sorted().toList();
            System.out.printf("[redis-outage] %-28s calls=%4d median=%8.3f ms p99=%8.3f ms max=%8.3f ms%n",
                    phase, sorted.size(), millis(sorted, 0.50), millis(sorted, 0.99), millis(sorted, 1.0));
        }

        private static double millis(List<Long> sorted, double quantile) {
            int index = (int) Math.ceil(quantile * sorted.size()) - 1;
            return sorted.get(Math.max(0, index)) / 1e6;
        }
    }
}
