package io.helloserverless.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dagger.BindsInstance;
import dagger.Component;
import io.helloserverless.lambda.http.RequestLog;
import io.helloserverless.lambda.metrics.Emf;
import io.helloserverless.lambda.wiring.Config;
import io.helloserverless.lambda.wiring.Overrides;
import io.helloserverless.lambda.wiring.MigrationModule;
import io.helloserverless.lambda.wiring.MigrationModule.Migration;
import java.util.List;
import java.util.Map;
import javax.inject.Singleton;

/**
 * Run by the deploy workflow after each apply: as the migration role (the RDS-managed master
 * secret) it applies Flyway migrations and creates or updates the runtime role with the
 * credentials of the runtime secret. Idempotent.
 */
public final class MigrateFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    @Singleton
    @Component(modules = MigrationModule.class)
    interface Wiring {
        Migration migration();

        @Component.Factory
        interface Factory {
            Wiring create(@BindsInstance Config config, @BindsInstance Overrides overrides);
        }
    }

    private final Migration migration;
    private static final String NAME = Functions.nameOf(MigrateFunction.class);

    private final RequestLog log;

    public MigrateFunction() {
        this(Setup.lambda());
    }

    public MigrateFunction(Setup setup) {
        this.migration = DaggerMigrateFunction_Wiring.factory().create(setup.config(), setup.overrides()).migration();
        this.log = setup.log();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        long started = System.nanoTime();
        int applied = migration.run();
        Map<String, Object> outcome = Map.of("migrationsApplied", applied);
        log.job(NAME, context.getAwsRequestId(), System.nanoTime() - started, outcome,
                List.of(Emf.Metric.count("MigrationsApplied", applied)));
        return outcome;
    }
}
