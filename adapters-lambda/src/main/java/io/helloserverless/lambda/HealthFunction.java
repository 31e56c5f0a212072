package io.helloserverless.lambda;

import dagger.BindsInstance;
import dagger.Component;
import io.helloserverless.core.usecase.CheckHealth;
import io.helloserverless.lambda.http.ApiHandler;
import io.helloserverless.lambda.http.HttpRequest;
import io.helloserverless.lambda.http.RequestLog;
import io.helloserverless.lambda.metrics.DependencyTimes;
import io.helloserverless.lambda.http.Responses;
import io.helloserverless.lambda.wiring.Config;
import io.helloserverless.lambda.wiring.Resources;
import io.helloserverless.lambda.wiring.SnapshotHooks;
import io.helloserverless.lambda.wiring.HealthModule;
import io.helloserverless.lambda.wiring.UseCaseModule;
import io.helloserverless.lambda.wiring.Warmup;
import javax.inject.Singleton;

/** {@code GET /v1/health}: a deep check of every dependency, 503 when a required one is down. */
public final class HealthFunction extends ApiHandler {

    @Singleton
    @Component(modules = {UseCaseModule.class, HealthModule.class})
    interface Wiring {
        CheckHealth checkHealth();

        Warmup warmup();

        DependencyTimes dependencyTimes();

        Resources resources();

        SnapshotHooks snapshotHooks();

        @Component.Factory
        interface Factory {
            Wiring create(@BindsInstance Config config);
        }
    }

    private final CheckHealth checkHealth;

    /** The Lambda entry point: configured from the environment, warmed up during an on-demand init. */
    public HealthFunction() {
        this(Config.fromEnvironment(), RequestLog.toStandardOutput(), Warmup.wantedAtInit());
    }

    public HealthFunction(Config config, RequestLog log) {
        this(config, log, false);
    }

    private HealthFunction(Config config, RequestLog log, boolean warmUp) {
        super("health", log);
        Wiring wiring = DaggerHealthFunction_Wiring.factory().create(config);
        measure(wiring.dependencyTimes());
        owns(wiring.resources());
        snapStart(wiring.snapshotHooks());
        if (warmUp) {
            wiring.warmup().run();
        }
        this.checkHealth = wiring.checkHealth();
    }

    @Override
    protected Outcome handle(HttpRequest request) {
        return Outcome.of(Responses.health(checkHealth.check()));
    }
}
