package io.helloserverless.lambda.wiring;

/**
 * What one dependency does for a SnapStart snapshot, contributed by the module that owns it
 * ({@code @IntoSet}) and run by {@link SnapshotHooks}. Lambda takes the snapshot at the end of
 * init and restores it into every new execution environment, so whatever {@link #prime} loads is
 * loaded for each of them, and whatever {@link #release} leaves open would be restored long dead.
 */
public interface Priming {

    /** Loads the classes of this dependency's request path without contacting it. */
    void prime() throws Exception;

    /**
     * Closes every connection to the dependency and forgets what was read from it (secrets); the
     * next use reconnects and reads again.
     */
    void release() throws Exception;
}
