package io.helloserverless.lambda;

import dagger.Component;
import io.helloserverless.core.usecase.CheckHealth;
import io.helloserverless.lambda.http.HttpRequest;
import io.helloserverless.lambda.http.Responses;
import io.helloserverless.lambda.wiring.FunctionComponent;
import io.helloserverless.lambda.wiring.HealthModule;
import io.helloserverless.lambda.wiring.UseCaseModule;
import javax.inject.Singleton;

/** {@code GET /v1/health}: a deep check of every dependency, 503 when a required one is down. */
public final class HealthFunction extends ApiHandler {

    @Singleton
    @Component(modules = {UseCaseModule.class, HealthModule.class})
    interface Wiring extends FunctionComponent {
        CheckHealth checkHealth();

        @Component.Factory
        interface Factory extends FunctionComponent.Factory<Wiring> {
        }
    }

    private final CheckHealth checkHealth;

    /** The Lambda entry point. */
    public HealthFunction() {
        this(Setup.lambda());
    }

    public HealthFunction(Setup setup) {
        super(setup);
        Wiring wiring = wire(DaggerHealthFunction_Wiring.factory(), setup);
        this.checkHealth = wiring.checkHealth();
    }

    @Override
    protected Outcome handle(HttpRequest request) {
        return Outcome.of(Responses.health(checkHealth.check()));
    }
}
