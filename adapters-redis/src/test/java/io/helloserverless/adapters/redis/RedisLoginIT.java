package io.helloserverless.adapters.redis;

import static io.helloserverless.core.testing.TestFiles.file;
import static io.helloserverless.core.testing.TestFiles.name;
import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.adapters.redis.RedisCredentials.Login;
import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.port.FileCache.CachedFile;
import io.helloserverless.core.port.FileCache.Lookup;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache logs in to a Redis of the test's own as an ACL user whose login comes from a source
 * standing in for Secrets Manager: read when the connection opens, fetched again when Redis
 * refuses it, and an unreadable source only makes the cache miss.
 */
class RedisLoginIT {

    private static final String USER = "hs_cache";
    private static final Duration BREAKER_OPEN = Duration.ofMillis(200);
    private static final Duration DEADLINE = Duration.ofSeconds(10);

    private final CacheSettings settings = TestRedis.isolated().withBreakerOpenTime(BREAKER_OPEN);
    private final List<AutoCloseable> opened = new ArrayList<>();
    private RedisServerProcess server;
    private TieredFileCache observer;

    @BeforeEach
    void startRedis() throws Exception {
        server = RedisServerProcess.start();
        opened.add(server);
        setPassword("first-password");
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }

    /** Rotation as Redis sees it: the user's old password stops working for new logins at once. */
    private void setPassword(String password) throws Exception {
        assertEquals("+OK", server.command("ACL", "SETUSER", USER, "on", "resetpass", ">" + password, "~*", "+@all"));
    }

    private TieredFileCache environment(RedisCredentials credentials) {
        TieredFileCache cache = new TieredFileCache(settings, server.settings().withCredentials(credentials), Clock.systemUTC());
        opened.add(cache);
        return cache;
    }

    /** Another environment, logged in as the default user, to see what reached Redis. */
    private TieredFileCache observer() {
        if (observer == null) {
            observer = new TieredFileCache(settings, server.settings(), Clock.systemUTC());
            opened.add(observer);
        }
        return observer;
    }

    private static CachedFile cached(String name) {
        return new CachedFile(file(name, "content of " + name, Instant.now()), Optional.of(text("content of " + name)));
    }

    /** Puts through {@code cache} until another environment reads the file from Redis. */
    private void awaitPutsReachRedis(TieredFileCache cache) throws InterruptedException {
        Instant deadline = Instant.now().plus(DEADLINE);
        for (int i = 0; ; i++) {
            CachedFile file = cached("reaches-redis-" + i + ".txt");
            cache.put(file, Instant.now());
            if (Answer.of(observer(), file.metadata().name()).tier() == CacheTier.SHARED) {
                return;
            }
            assertTrue(Instant.now().isBefore(deadline), "puts still do not reach Redis after " + DEADLINE);
            Thread.sleep(20);
        }
    }

    @Test
    void readsTheLoginWhenItConnectsNotWhenBuilt() throws Exception {
        SecretSource secret = new SecretSource("first-password");

        TieredFileCache cache = environment(secret);

        assertEquals(0, secret.reads(), "building the cache read no secret");
        CachedFile file = cached("logged-in.txt");
        cache.put(file, Instant.now());
        assertEquals(Answer.hit(file, CacheTier.SHARED), Answer.of(observer(), file.metadata().name()));
        assertEquals(1, secret.current.get());
        assertEquals(0, secret.refresh.get());
    }

    @Test
    void fetchesTheLoginAgainWhenRedisRefusesACachedOne() throws Exception {
        SecretSource secret = new SecretSource("first-password");
        secret.current(); // cached by the source before the rotation
        setPassword("second-password");
        secret.rotate("second-password");
        TieredFileCache cache = environment(secret);

        CachedFile file = cached("after-rotation.txt");
        cache.put(file, Instant.now());

        assertEquals(Answer.hit(file, CacheTier.SHARED), Answer.of(observer(), file.metadata().name()),
                "the first put already reached Redis");
        assertEquals(1, secret.refresh.get());
    }

    @Test
    void picksUpAPasswordRotatedWhileConnectedOnceTheConnectionDrops() throws Exception {
        SecretSource secret = new SecretSource("first-password");
        TieredFileCache cache = environment(secret);
        cache.healthProbe().probe();

        setPassword("second-password");
        secret.rotate("second-password");
        cache.healthProbe().probe(); // a logged-in connection outlives the rotation
        assertTrue(server.command("CLIENT", "KILL", "USER", USER).startsWith(":"), "the connection dropped");

        awaitPutsReachRedis(cache);
        assertTrue(secret.refresh.get() >= 1 && secret.refresh.get() <= 3,
                "fetched again, but not in a loop: " + secret.refresh.get());
    }

    @Test
    void fetchesARefusedLoginAgainAtMostOncePerFailedCall() throws Exception {
        SecretSource secret = new SecretSource("first-password");
        TieredFileCache cache = environment(secret);
        setPassword("a-password-the-secret-never-gets");

        Instant end = Instant.now().plus(BREAKER_OPEN.multipliedBy(5));
        int calls = 0;
        while (Instant.now().isBefore(end)) {
            assertInstanceOf(Lookup.Miss.class, cache.get(name("refused-" + calls + ".txt")));
            calls++;
            Thread.sleep(2);
        }

        long trials = 5 + 1;
        assertTrue(secret.refresh.get() >= 1 && secret.refresh.get() <= trials,
                secret.refresh.get() + " refreshes in " + calls + " calls");
    }

    @Test
    void missesWhileTheLoginCannotBeReadAndRecoversOnceItCan() throws Exception {
        SecretSource secret = new SecretSource("first-password");
        secret.fail(true);

        TieredFileCache cache = environment(secret);
        CachedFile file = cached("while-secrets-are-down.txt");

        assertInstanceOf(Lookup.Miss.class, cache.get(name("anything.txt")));
        cache.put(file, Instant.now());
        assertEquals(Answer.hit(file, CacheTier.LOCAL), Answer.of(cache, file.metadata().name()), "L1 still serves");
        assertInstanceOf(Lookup.Miss.class, observer().get(file.metadata().name()), "nothing reached Redis");
        DependencyFailureException failure = assertThrows(DependencyFailureException.class,
                () -> cache.invalidate(file.metadata().name()), "as for any Redis failure");
        assertEquals("cache", failure.dependency());
        assertTrue(secret.reads() >= 1);

        secret.fail(false);
        awaitPutsReachRedis(cache);
    }

    /**
     * Secrets Manager behind a cache, as {@code LoginSecret} reads it: {@link #current} serves what
     * it read first, {@link #refresh} reads the secret's value now.
     */
    private static final class SecretSource implements RedisCredentials {

        final AtomicInteger current = new AtomicInteger();
        final AtomicInteger refresh = new AtomicInteger();
        private volatile String value;
        private volatile String cached;
        private volatile boolean failing;

        SecretSource(String password) {
            this.value = password;
        }

        void rotate(String password) {
            value = password;
        }

        void fail(boolean fail) {
            failing = fail;
        }

        int reads() {
            return current.get() + refresh.get();
        }

        @Override
        public Login current() {
            current.incrementAndGet();
            if (cached == null) {
                cached = read();
            }
            return Login.of(USER, cached);
        }

        @Override
        public Login refresh() {
            refresh.incrementAndGet();
            cached = read();
            return Login.of(USER, cached);
        }

        private String read() {
            if (failing) {
                throw new DependencyFailureException("secrets", "could not read a secret: SdkClientException");
            }
            return value;
        }
    }
}
