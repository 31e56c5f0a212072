package io.helloserverless.lambda.wiring;

import dagger.Module;
import dagger.Provides;
import io.helloserverless.core.usecase.CheckHealth;
import io.helloserverless.core.usecase.CheckHealth.Dependency;
import java.time.Duration;
import java.util.Comparator;
import java.util.Set;

/**
 * The deep health check of every dependency the other modules contribute (Dagger's set
 * multibinding): each module says how its dependency is probed and whether the service is down
 * without it. Dependencies are named by role only, and reported in the order of their names.
 */
@Module(includes = {DatabaseModule.class, StorageModule.class, CacheModule.class})
public interface HealthModule {

    /** Well inside API Gateway's 29 s integration timeout, and longer than any client timeout. */
    Duration DEADLINE = Duration.ofSeconds(3);

    @Provides
    static CheckHealth checkHealth(Set<Dependency> dependencies) {
        return new CheckHealth(dependencies.stream().sorted(Comparator.comparing(Dependency::name)).toList(), DEADLINE);
    }
}
