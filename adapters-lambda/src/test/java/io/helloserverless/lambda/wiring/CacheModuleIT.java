package io.helloserverless.lambda.wiring;

import static io.helloserverless.core.testing.TestFiles.file;
import static io.helloserverless.core.testing.TestFiles.name;
import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dagger.Lazy;
import io.helloserverless.adapters.redis.CacheSettings;
import io.helloserverless.adapters.redis.CacheTier;
import io.helloserverless.adapters.redis.RedisSettings;
import io.helloserverless.adapters.redis.ReportingFileCache;
import io.helloserverless.adapters.redis.TieredFileCache;
import io.helloserverless.core.port.FileCache.CachedFile;
import io.helloserverless.core.port.FileCache.Lookup;
import io.helloserverless.lambda.secrets.Secrets;
import io.helloserverless.lambda.secrets.SecretsManagerServer;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The cache as the functions get it, with Redis's login in a Secrets Manager secret: nothing is
 * read when the cache is built (so nothing is baked into a SnapStart snapshot, and nothing fails
 * the function's init), and a secret that cannot be read only makes the cache miss.
 */
class CacheModuleIT {

    /** The machine's Redis lets its default user in with any password, so any login secret for it works. */
    private static final String DEFAULT_USER_LOGIN = "{\"username\":\"default\",\"password\":\"any\"}";

    private final String arn = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:cache-" + UUID.randomUUID();
    private final AtomicInteger clientsBuilt = new AtomicInteger();
    private SecretsManagerServer server;
    private Lazy<Secrets> secrets;
    private Config config;
    private final Resources resources = new Resources();

    @BeforeEach
    void start() throws Exception {
        server = SecretsManagerServer.start();
        Secrets built = new Secrets(server.client(), Duration.ofMinutes(5));
        secrets = () -> {
            clientsBuilt.incrementAndGet();
            return built;
        };
        Map<String, String> env = System.getenv();
        config = Config.fromEnvironment(Map.of(
                "AWS_REGION", "eu-west-1",
                "REDIS_HOST", env.getOrDefault("REDIS_HOST", "127.0.0.1"),
                "REDIS_PORT", env.getOrDefault("REDIS_PORT", "6379"),
                "REDIS_TLS", "false",
                "REDIS_SECRET_ARN", arn));
    }

    @AfterEach
    void stop() throws Exception {
        resources.close();
        server.close();
    }

    private static CachedFile cached(String name) {
        return new CachedFile(file(name, "content of " + name, Instant.now()), Optional.of(text("content of " + name)));
    }

    @Test
    void readsTheLoginSecretWhenTheCacheConnectsNotWhenItIsBuilt() throws Exception {
        server.put(arn, DEFAULT_USER_LOGIN);

        CacheModule.Cache built = CacheModule.cache(config, Overrides.none(), secrets, Clock.systemUTC(), resources);
        ReportingFileCache cache = built.files();

        assertEquals(0, server.calls(), "no secret read while building");
        assertEquals(0, clientsBuilt.get(), "not even the Secrets Manager client built");
        cache.put(cached("cache-module-" + UUID.randomUUID() + ".txt"), Instant.now());
        assertEquals(0, server.calls(), "a put does not connect: the connection opens in the background when asked for");
        built.connectInBackground();
        built.redis().orElseThrow().probe();
        assertEquals(1, server.calls(), "read once, on connect");
        CachedFile file = cached("cache-module-" + UUID.randomUUID() + ".txt");
        cache.put(file, Instant.now());
        Config.Redis redis = config.redis().orElseThrow();
        try (TieredFileCache other = new TieredFileCache(CacheSettings.defaults(),
                RedisSettings.plain(redis.host(), redis.port()), Clock.systemUTC())) {
            AtomicReference<CacheTier> tier = new AtomicReference<>();
            assertEquals(new Lookup.Hit(file), other.get(file.metadata().name(), tier::set), "the put reached Redis");
            assertEquals(CacheTier.SHARED, tier.get());
        }
    }

    @Test
    void aLoginSecretThatCannotBeReadMakesTheCacheMissNotTheFunctionFail() {
        ReportingFileCache cache = CacheModule.cache(config, Overrides.none(), secrets, Clock.systemUTC(), resources).files();
        CachedFile file = cached("cache-module-" + UUID.randomUUID() + ".txt");

        assertInstanceOf(Lookup.Miss.class, cache.get(name("anything.txt")));
        cache.put(file, Instant.now());
        AtomicReference<CacheTier> tier = new AtomicReference<>();
        assertEquals(new Lookup.Hit(file), cache.get(file.metadata().name(), tier::set), "the in-process tier still works");
        assertEquals(CacheTier.LOCAL, tier.get());
    }

    @Test
    void aCacheTheProcessGivesIsSharedByItsComponentsAndLeftOpenForItsOwner() throws Exception {
        server.put(arn, DEFAULT_USER_LOGIN);
        Resources second = new Resources();
        try (CacheModule.Cache given = CacheModule.Cache.open(config,
                Optional.of(new CacheModule.RedisLogin(new DeferredLogin(secrets, arn))), Clock.systemUTC())) {
            Overrides overrides = Overrides.none().withCache(given);

            assertSame(given, CacheModule.cache(config, overrides, secrets, Clock.systemUTC(), resources));
            assertSame(given, CacheModule.cache(config, overrides, secrets, Clock.systemUTC(), second));
            given.redis().orElseThrow().probe();
            int loginsRead = clientsBuilt.get();
            resources.close();
            second.close();

            given.redis().orElseThrow().probe();
            // a closed cache forgets its login and reads it again when it reconnects
            assertEquals(loginsRead, clientsBuilt.get(), "a component closed the cache it was given");
            try (Resources own = new Resources()) {
                assertNotSame(given, CacheModule.cache(config, Overrides.none(), secrets, Clock.systemUTC(), own),
                        "without the override a component builds its own");
            }
        }
    }
}
