package io.helloserverless.lambda;

import dagger.Component;
import io.helloserverless.core.usecase.DeleteFile;
import io.helloserverless.lambda.http.HttpRequest;
import io.helloserverless.lambda.http.Responses;
import io.helloserverless.lambda.wiring.CacheModule;
import io.helloserverless.lambda.wiring.DatabaseModule;
import io.helloserverless.lambda.wiring.FunctionComponent;
import io.helloserverless.lambda.wiring.StorageModule;
import io.helloserverless.lambda.wiring.UseCaseModule;
import javax.inject.Singleton;

/** {@code DELETE /v1/files/{name}} with optional {@code If-Match}. */
public final class DeleteFileFunction extends ApiHandler {

    @Singleton
    @Component(modules = {UseCaseModule.class, DatabaseModule.class, StorageModule.class, CacheModule.class})
    interface Wiring extends FunctionComponent {
        DeleteFile deleteFile();

        @Component.Factory
        interface Factory extends FunctionComponent.Factory<Wiring> {
        }
    }

    private final DeleteFile deleteFile;

    /** The Lambda entry point. */
    public DeleteFileFunction() {
        this(Setup.lambda());
    }

    public DeleteFileFunction(Setup setup) {
        super(setup);
        Wiring wiring = wire(DaggerDeleteFileFunction_Wiring.factory(), setup);
        this.deleteFile = wiring.deleteFile();
    }

    @Override
    protected Outcome handle(HttpRequest request) {
        return Outcome.of(Responses.deleted(deleteFile.delete(request.fileNameFromPath(), request.ifMatch()), request));
    }
}
