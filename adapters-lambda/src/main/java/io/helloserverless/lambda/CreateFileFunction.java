package io.helloserverless.lambda;

import dagger.Component;
import io.helloserverless.core.domain.ContentPolicy;
import io.helloserverless.core.usecase.CreateFile;
import io.helloserverless.lambda.http.HttpRequest;
import io.helloserverless.lambda.http.Responses;
import io.helloserverless.lambda.wiring.CacheModule;
import io.helloserverless.lambda.wiring.DatabaseModule;
import io.helloserverless.lambda.wiring.FunctionComponent;
import io.helloserverless.lambda.wiring.StorageModule;
import io.helloserverless.lambda.wiring.UseCaseModule;
import javax.inject.Singleton;

/** {@code POST /v1/files?name=NAME}: creates a file. */
public final class CreateFileFunction extends ApiHandler {

    @Singleton
    @Component(modules = {UseCaseModule.class, DatabaseModule.class, StorageModule.class, CacheModule.class})
    interface Wiring extends FunctionComponent {
        CreateFile createFile();

        ContentPolicy contentPolicy();

        @Component.Factory
        interface Factory extends FunctionComponent.Factory<Wiring> {
        }
    }

    private final CreateFile createFile;
    private final ContentPolicy contentPolicy;

    /** The Lambda entry point. */
    public CreateFileFunction() {
        this(Setup.lambda());
    }

    public CreateFileFunction(Setup setup) {
        super(setup);
        Wiring wiring = wire(DaggerCreateFileFunction_Wiring.factory(), setup);
        this.createFile = wiring.createFile();
        this.contentPolicy = wiring.contentPolicy();
    }

    @Override
    protected Outcome handle(HttpRequest request) {
        return Outcome.of(Responses.created(
                createFile.create(request.fileNameFromQuery(), request.textContent(contentPolicy)), request));
    }
}
