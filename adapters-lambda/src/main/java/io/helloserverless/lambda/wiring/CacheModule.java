package io.helloserverless.lambda.wiring;

import dagger.Lazy;
import dagger.Module;
import dagger.Provides;
import dagger.multibindings.ElementsIntoSet;
import dagger.multibindings.IntoSet;
import io.helloserverless.adapters.redis.CacheSettings;
import io.helloserverless.adapters.redis.CacheTier;
import io.helloserverless.adapters.redis.LocalFileCache;
import io.helloserverless.adapters.redis.RedisCredentials;
import io.helloserverless.adapters.redis.RedisSettings;
import io.helloserverless.adapters.redis.ReportingFileCache;
import io.helloserverless.adapters.redis.TieredFileCache;
import io.helloserverless.core.port.FileCache;
import io.helloserverless.core.port.HealthProbe;
import io.helloserverless.core.usecase.CheckHealth;
import io.helloserverless.lambda.metrics.DependencyTimes;
import io.helloserverless.lambda.secrets.LoginSource;
import io.helloserverless.lambda.secrets.Secrets;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import javax.inject.Singleton;

/**
 * The cache: Caffeine in front of Redis when Redis is configured, Caffeine alone otherwise. One
 * per component, which in AWS is one per execution environment; a process running several
 * functions gives them one {@link Cache} through {@link Overrides#cache()}, so that a write by one
 * invalidates what another reads, and closes it itself.
 */
@Module(includes = SecretsModule.class)
public interface CacheModule {

    /**
     * Without Redis the in-process cache is the only tier and every invalidation reaches it (all
     * functions share the process), so entries may live as long as the age limit allows; that
     * limit still bounds what a second server on the same database serves stale.
     */
    CacheSettings LOCAL_ONLY = CacheSettings.defaults().withLocalTtl(CacheSettings.defaults().maxAge());

    /** The cache: its Redis tier, if it has one, is {@code tiered}, and closing the cache closes its Redis client. */
    record Cache(ReportingFileCache files, Optional<TieredFileCache> tiered) implements AutoCloseable {
        /**
         * A cache for {@code config}: with its Redis, logging in with {@code login} if Redis asks for
         * one, connected in the background ({@link TieredFileCache.Connecting#IN_BACKGROUND}): reads
         * never wait for Redis to connect.
         */
        public static Cache open(Config config, Optional<RedisCredentials> login, Clock clock) {
            if (config.redis().isEmpty()) {
                return new Cache(new LocalFileCache(LOCAL_ONLY, clock), Optional.empty());
            }
            RedisSettings settings = redisSettings(config.redis().get());
            TieredFileCache tiered = new TieredFileCache(CacheSettings.defaults(),
                    login.map(settings::withCredentials).orElse(settings), clock, TieredFileCache.Connecting.IN_BACKGROUND);
            return new Cache(tiered, Optional.of(tiered));
        }

        /** The probe of the Redis tier, if there is one. */
        public Optional<HealthProbe> redis() {
            return tiered.map(TieredFileCache::healthProbe);
        }

        /** Starts opening the Redis connection, if there is a Redis tier; returns at once. */
        public void connectInBackground() {
            tiered.ifPresent(TieredFileCache::connectInBackground);
        }

        @Override
        public void close() {
            tiered.ifPresent(TieredFileCache::close);
        }
    }

    /** The Redis of {@code redis}, without a login: {@link RedisSettings#withCredentials} adds one. */
    private static RedisSettings redisSettings(Config.Redis redis) {
        return new RedisSettings(redis.host(), redis.port(), redis.tls(), Optional.empty());
    }

    @Provides
    @Singleton
    static Cache cache(Config config, Overrides overrides, Lazy<Secrets> secrets, Clock clock, Resources resources) {
        if (overrides.cache().isPresent()) {
            return overrides.cache().get();
        }
        Optional<RedisCredentials> login = config.redis().flatMap(Config.Redis::secretArn)
                .map(arn -> new RedisLogin(new DeferredLogin(secrets, arn)));
        return resources.add(Cache.open(config, login, clock));
    }

    /** The component's view of the cache: each hit's tier goes to this request's log line. */
    @Provides
    static FileCache fileCache(Cache cache, DependencyTimes times) {
        return cache.files().reportingTo(tier -> times.answeredBy(tier == CacheTier.LOCAL ? "local_cache" : "shared_cache"));
    }

    /**
     * In the background: the Redis connection (Lettuce, Netty and Reactor loaded, about 1,450
     * classes) opened on its own thread. Reads skip Redis until it is open; an invalidation or a
     * probe waits for it. Read-file starts it after its first response (docs/adr/0018).
     */
    @Provides
    @IntoSet
    static Warmup.Task connectCache(Lazy<Cache> cache) {
        return Warmup.Task.inBackground(() -> cache.get().connectInBackground());
    }

    /** Not required: without Redis the service is degraded (every miss goes to the stores), not down. */
    @Provides
    @ElementsIntoSet
    static Set<CheckHealth.Dependency> cacheHealth(Cache cache) {
        return cache.redis().map(probe -> Set.of(new CheckHealth.Dependency("cache", false, probe))).orElse(Set.of());
    }

    /**
     * For a SnapStart snapshot: the codec and Lettuce's command path loaded without Redis, then the
     * Redis connection and client threads closed and the RBAC login forgotten; the next call
     * reconnects, reading the login again.
     */
    @Provides
    @IntoSet
    static Priming primeCache(Config config, Overrides overrides, Lazy<Cache> cache) {
        return new Priming() {
            @Override
            public void prime() {
                config.redis().ifPresent(redis -> TieredFileCache.prime(redisSettings(redis), CacheSettings.defaults()));
            }

            /** Not a cache the process gave: that one is its owner's to close. */
            @Override
            public void release() {
                if (overrides.cache().isEmpty()) {
                    cache.get().close();
                }
            }
        };
    }

    /**
     * What the Redis adapter asks for, from a login source: in AWS the RBAC user's secret, read
     * (and the Secrets Manager client built) only when the cache connects ({@link DeferredLogin}).
     */
    record RedisLogin(LoginSource source) implements RedisCredentials {
        @Override
        public Login current() {
            return login(source.current());
        }

        @Override
        public Login refresh() {
            return login(source.refresh());
        }

        private static Login login(LoginSource.Login login) {
            return Login.of(login.user(), login.password());
        }
    }
}
