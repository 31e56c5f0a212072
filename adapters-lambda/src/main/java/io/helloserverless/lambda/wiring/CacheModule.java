package io.helloserverless.lambda.wiring;

import dagger.Lazy;
import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoSet;
import io.helloserverless.adapters.redis.CacheSettings;
import io.helloserverless.adapters.redis.LocalFileCache;
import io.helloserverless.adapters.redis.RedisCredentials;
import io.helloserverless.adapters.redis.RedisSettings;
import io.helloserverless.adapters.redis.TieredFileCache;
import io.helloserverless.core.port.FileCache;
import io.helloserverless.adapters.postgres.PostgresCredentials;
import io.helloserverless.lambda.secrets.LoginSecret;
import io.helloserverless.lambda.secrets.Secrets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.inject.Singleton;

/**
 * The cache: Caffeine in front of Redis when Redis is configured, Caffeine alone otherwise.
 *
 * <p>It is one per process, not per component: in AWS a process is one execution environment
 * of one function, so nothing changes; on the laptop every function runs in one process, and a
 * shared in-process cache is what lets a write by one function invalidate what another reads.
 * Each component that uses it holds a share, given back when the component's {@link Resources}
 * close; the last share closes the cache (its Redis client) and forgets it.
 */
@Module(includes = SecretsModule.class)
public interface CacheModule {

    /**
     * Without Redis the in-process cache is the only tier and every invalidation reaches it (all
     * functions share the process), so entries may live as long as the age limit allows; that
     * limit still bounds what a second server on the same database serves stale.
     */
    CacheSettings LOCAL_ONLY = CacheSettings.defaults().withLocalTtl(CacheSettings.defaults().maxAge());

    @Provides
    @Singleton
    static FileCache fileCache(Config config, Lazy<Secrets> secrets, Clock clock, Resources resources) {
        // Keyed by what the cache fronts too: two configurations in one JVM never share entries.
        List<Optional<?>> key = List.of(config.redis(), config.database(), config.storage());
        FileCache cache = ProcessCache.acquire(key, () -> config.redis()
                .<FileCache>map(r -> new TieredFileCache(CacheSettings.defaults(), redisSettings(r, secrets), clock))
                .orElseGet(() -> new LocalFileCache(LOCAL_ONLY, clock)));
        resources.add(() -> ProcessCache.release(key));
        return cache;
    }

    /** At init: the Redis connection opened (Netty and Lettuce loaded) by a PING. */
    @Provides
    @IntoSet
    static Warmup.Task connectCache(Lazy<FileCache> cache) {
        return () -> {
            if (cache.get() instanceof TieredFileCache tiered) {
                tiered.healthProbe().probe();
            }
        };
    }

    /**
     * For a SnapStart snapshot: the codec and Lettuce's command path loaded without Redis, then the
     * Redis connection and client threads closed and the RBAC login forgotten; the next call
     * reconnects, reading the login again.
     */
    @Provides
    @IntoSet
    static Priming cache(Config config, Lazy<FileCache> cache) {
        return new Priming() {
            @Override
            public void prime() {
                config.redis().ifPresent(redis -> TieredFileCache.prime(
                        new RedisSettings(redis.host(), redis.port(), redis.tls(), Optional.empty()), CacheSettings.defaults()));
            }

            @Override
            public void release() {
                if (cache.get() instanceof TieredFileCache tiered) {
                    tiered.close();
                }
            }
        };
    }

    /** ElastiCache's RBAC user, from its login secret when the connection opens; none for a local Redis. */
    private static RedisSettings redisSettings(Config.Redis redis, Lazy<Secrets> secrets) {
        RedisSettings settings = new RedisSettings(redis.host(), redis.port(), redis.tls(), Optional.empty());
        return redis.secretArn().map(arn -> settings.withCredentials(new RedisLogin(secrets, arn))).orElse(settings);
    }

    /**
     * The RBAC user's {@link LoginSecret}, read (and the Secrets Manager client built) only when the
     * cache connects: nothing is fetched when the cache is built, so a SnapStart snapshot holds no
     * login, and a failure to fetch it fails the cache, not the function.
     */
    record RedisLogin(Lazy<Secrets> secrets, String arn) implements RedisCredentials {
        @Override
        public Login current() {
            return login(new LoginSecret(secrets.get(), arn).current());
        }

        @Override
        public Login refresh() {
            return login(new LoginSecret(secrets.get(), arn).refresh());
        }

        private static Login login(PostgresCredentials.Credentials credentials) {
            return Login.of(credentials.user(), credentials.password());
        }
    }

    /** Holder of the process-wide caches, one per configuration, with the number of components using each. */
    final class ProcessCache {
        private record Shared(FileCache cache, int users) {
        }

        private static final Map<List<Optional<?>>, Shared> CACHES = new HashMap<>();

        private ProcessCache() {
        }

        static synchronized FileCache acquire(List<Optional<?>> key, Supplier<FileCache> create) {
            Shared shared = CACHES.get(key);
            shared = shared == null ? new Shared(create.get(), 1) : new Shared(shared.cache(), shared.users() + 1);
            CACHES.put(key, shared);
            return shared.cache();
        }

        static synchronized void release(List<Optional<?>> key) throws Exception {
            Shared shared = CACHES.get(key);
            if (shared == null) {
                return;
            }
            if (shared.users() > 1) {
                CACHES.put(key, new Shared(shared.cache(), shared.users() - 1));
                return;
            }
            CACHES.remove(key);
            if (shared.cache() instanceof AutoCloseable closeable) {
                closeable.close();
            }
        }

        /** The caches in use now, for tests. */
        static synchronized int size() {
            return CACHES.size();
        }
    }
}
