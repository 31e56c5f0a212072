package io.helloserverless.core.port;

/** A cheap round trip to one dependency; it throws when the dependency does not answer properly. */
@FunctionalInterface
public interface HealthProbe {

    void probe() throws Exception;
}
