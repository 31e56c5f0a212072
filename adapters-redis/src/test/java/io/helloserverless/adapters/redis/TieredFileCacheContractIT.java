package io.helloserverless.adapters.redis;

import io.helloserverless.core.port.FileCache;
import io.helloserverless.core.testing.FileCacheContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The port's contract on the machine's Redis, in real time. */
class TieredFileCacheContractIT extends FileCacheContract {

    private TieredFileCache cache;

    @BeforeEach
    void openOnARedisThatAnswers() throws Exception {
        cache = new TieredFileCache(TestRedis.isolated(), TestRedis.machine(), Clock.systemUTC());
        cache.healthProbe().probe();
    }

    /** Had a call failed, the breaker would be open and this probe would fail: the test ran on Redis, not on L1 alone. */
    @AfterEach
    void closeAfterRedisAnsweredThroughout() throws Exception {
        try {
            cache.healthProbe().probe();
        } finally {
            cache.close();
        }
    }

    @Override
    protected FileCache cache() {
        return cache;
    }

    @Override
    protected Duration invalidationWindow() {
        return TestRedis.INVALIDATION_WINDOW;
    }

    @Override
    protected Instant now() {
        return Instant.now();
    }

    @Override
    protected void letTimePass(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted while waiting", e);
        }
    }
}
