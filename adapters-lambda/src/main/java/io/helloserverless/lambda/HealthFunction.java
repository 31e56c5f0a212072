package io.helloserverless.lambda;

import dagger.BindsInstance;
import dagger.Component;
import io.helloserverless.core.usecase.CheckHealth;
import io.helloserverless.lambda.http.ApiHandler;
import io.helloserverless.lambda.http.HttpRequest;
import io.helloserverless.lambda.http.RequestLog;
import io.helloserverless.lambda.http.Responses;
import io.helloserverless.lambda.wiring.Config;
import io.helloserverless.lambda.wiring.HealthModule;
import io.helloserverless.lambda.wiring.UseCaseModule;
import javax.inject.Singleton;

/** {@code GET /v1/health}: a deep check of every dependency, 503 when a required one is down. */
public final class HealthFunction extends ApiHandler {

    @Singleton
    @Component(modules = {UseCaseModule.class, HealthModule.class})
    interface Wiring {
        CheckHealth checkHealth();

        @Component.Factory
        interface Factory {
            Wiring create(@BindsInstance Config config);
        }
    }

    private final CheckHealth checkHealth;

    public HealthFunction() {
        this(Config.fromEnvironment(), RequestLog.toStandardOutput());
    }

    public HealthFunction(Config config, RequestLog log) {
        super("health", log);
        this.checkHealth = DaggerHealthFunction_Wiring.factory().create(config).checkHealth();
    }

    @Override
    protected Outcome handle(HttpRequest request) {
        return Outcome.of(Responses.health(checkHealth.check()));
    }
}
