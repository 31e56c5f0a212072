package io.helloserverless.lambda;

import dagger.Component;
import io.helloserverless.core.domain.ContentPolicy;
import io.helloserverless.core.usecase.UpdateFile;
import io.helloserverless.lambda.http.HttpRequest;
import io.helloserverless.lambda.http.Responses;
import io.helloserverless.lambda.wiring.CacheModule;
import io.helloserverless.lambda.wiring.DatabaseModule;
import io.helloserverless.lambda.wiring.FunctionComponent;
import io.helloserverless.lambda.wiring.StorageModule;
import io.helloserverless.lambda.wiring.UseCaseModule;
import javax.inject.Singleton;

/** {@code PUT /v1/files/{name}} with optional {@code If-Match}: replaces a file's content. */
public final class UpdateFileFunction extends ApiHandler {

    @Singleton
    @Component(modules = {UseCaseModule.class, DatabaseModule.class, StorageModule.class, CacheModule.class})
    interface Wiring extends FunctionComponent {
        UpdateFile updateFile();

        ContentPolicy contentPolicy();

        @Component.Factory
        interface Factory extends FunctionComponent.Factory<Wiring> {
        }
    }

    private final UpdateFile updateFile;
    private final ContentPolicy contentPolicy;

    /** The Lambda entry point. */
    public UpdateFileFunction() {
        this(Setup.lambda());
    }

    public UpdateFileFunction(Setup setup) {
        super(setup);
        Wiring wiring = wire(DaggerUpdateFileFunction_Wiring.factory(), setup);
        this.updateFile = wiring.updateFile();
        this.contentPolicy = wiring.contentPolicy();
    }

    @Override
    protected Outcome handle(HttpRequest request) {
        return Outcome.of(Responses.updated(updateFile.update(
                request.fileNameFromPath(), request.textContent(contentPolicy), request.ifMatch()), request));
    }
}
