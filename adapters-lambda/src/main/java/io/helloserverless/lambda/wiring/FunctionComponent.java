package io.helloserverless.lambda.wiring;

import dagger.BindsInstance;
import io.helloserverless.lambda.metrics.DependencyTimes;

/**
 * What every API function's component gives its function besides the use case: the warm-up of
 * its dependencies, the times its request lines report, what it opened, and its SnapStart hooks. Each function declares
 * its own component (its modules are the point of the design) extending this one.
 */
public interface FunctionComponent {

    Warmup warmup();

    DependencyTimes dependencyTimes();

    Resources resources();

    /** What SnapStart's checkpoint and restore run (docs/adr/0015-snapstart-priming.md). */
    SnapshotHooks snapshotHooks();

    /** Every component is built from the configuration and what the process overrides ({@link Overrides#none()} in AWS). */
    interface Factory<C extends FunctionComponent> {
        C create(@BindsInstance Config config, @BindsInstance Overrides overrides);
    }
}
