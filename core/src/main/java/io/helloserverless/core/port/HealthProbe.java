package io.helloserverless.core.port;

import io.helloserverless.core.domain.DependencyFailureException;

/** A cheap round trip to one dependency. */
@FunctionalInterface
public interface HealthProbe {

    /** Returns when the dependency answered properly; otherwise throws {@link DependencyFailureException}. */
    void probe();
}
