package io.helloserverless.lambda.wiring;

import dagger.Lazy;
import dagger.Module;
import dagger.Provides;
import io.helloserverless.adapters.postgres.PostgresMetadataStore;
import io.helloserverless.adapters.redis.TieredFileCache;
import io.helloserverless.adapters.s3.S3BlobStore;
import io.helloserverless.core.port.FileCache;
import io.helloserverless.core.usecase.CheckHealth;
import io.helloserverless.core.usecase.CheckHealth.Dependency;
import io.helloserverless.lambda.secrets.Secrets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The deep health check: the database, the storage and the secrets are required; the cache is
 * not (without it the service is degraded, not down). Dependencies are named by role only.
 */
@Module(includes = {DatabaseModule.class, StorageModule.class, CacheModule.class})
public interface HealthModule {

    /** Well inside API Gateway's 29 s integration timeout, and longer than any client timeout. */
    Duration DEADLINE = Duration.ofSeconds(3);

    @Provides
    static CheckHealth checkHealth(Config config, PostgresMetadataStore database, S3BlobStore storage,
                                   FileCache cache, Lazy<Secrets> secrets) {
        List<Dependency> dependencies = new ArrayList<>();
        dependencies.add(new Dependency("database", true, database.healthProbe()));
        dependencies.add(new Dependency("storage", true, storage.healthProbe()));
        if (cache instanceof TieredFileCache tiered) {
            dependencies.add(new Dependency("cache", false, tiered.healthProbe()));
        }
        config.database().flatMap(Config.Database::secretArn).ifPresent(arn ->
                dependencies.add(new Dependency("secrets", true, () -> secrets.get().refreshed(arn))));
        return new CheckHealth(dependencies, DEADLINE);
    }
}
