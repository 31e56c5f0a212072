package io.helloserverless.adapters.redis;

import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/** The machine's Redis, and settings that keep every cache a test opens apart from all others. */
final class TestRedis {

    static final Duration INVALIDATION_WINDOW = Duration.ofMillis(300);

    private static final String RUN = UUID.randomUUID().toString();
    private static final AtomicInteger CACHES = new AtomicInteger();

    private TestRedis() {
    }

    static RedisSettings machine() {
        String host = System.getenv().getOrDefault("REDIS_HOST", "127.0.0.1");
        int port = Integer.parseInt(System.getenv().getOrDefault("REDIS_PORT", "6379"));
        return RedisSettings.plain(host, port);
    }

    /**
     * Settings under a namespace of their own. Timeouts are generous: these tests are about what
     * the cache does, not how fast, and a loaded build machine must not open the breaker.
     */
    static CacheSettings isolated() {
        return CacheSettings.defaults()
                .withNamespace(namespace())
                .withInvalidationWindow(INVALIDATION_WINDOW)
                .withMaxAge(Duration.ofSeconds(30))
                .withCommandTimeout(Duration.ofSeconds(1))
                .withConnectTimeout(Duration.ofSeconds(5));
    }

    static String namespace() {
        return "hs:test:" + RUN + ":" + CACHES.incrementAndGet() + ":";
    }
}
