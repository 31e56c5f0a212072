package io.helloserverless.lambda;

import dagger.BindsInstance;
import dagger.Component;
import io.helloserverless.core.domain.ContentPolicy;
import io.helloserverless.core.usecase.UpdateFile;
import io.helloserverless.lambda.http.ApiHandler;
import io.helloserverless.lambda.http.HttpRequest;
import io.helloserverless.lambda.http.RequestLog;
import io.helloserverless.lambda.http.Responses;
import io.helloserverless.lambda.wiring.CacheModule;
import io.helloserverless.lambda.wiring.Config;
import io.helloserverless.lambda.wiring.DatabaseModule;
import io.helloserverless.lambda.wiring.StorageModule;
import io.helloserverless.lambda.wiring.UseCaseModule;
import javax.inject.Singleton;

/** {@code PUT /v1/files/{name}} with optional {@code If-Match}: replaces a file's content. */
public final class UpdateFileFunction extends ApiHandler {

    @Singleton
    @Component(modules = {UseCaseModule.class, DatabaseModule.class, StorageModule.class, CacheModule.class})
    interface Wiring {
        UpdateFile updateFile();

        ContentPolicy contentPolicy();

        @Component.Factory
        interface Factory {
            Wiring create(@BindsInstance Config config);
        }
    }

    private final UpdateFile updateFile;
    private final ContentPolicy contentPolicy;

    public UpdateFileFunction() {
        this(Config.fromEnvironment(), RequestLog.toStandardOutput());
    }

    public UpdateFileFunction(Config config, RequestLog log) {
        super("update-file", log);
        Wiring wiring = DaggerUpdateFileFunction_Wiring.factory().create(config);
        this.updateFile = wiring.updateFile();
        this.contentPolicy = wiring.contentPolicy();
    }

    @Override
    protected Outcome handle(HttpRequest request) {
        return Outcome.of(Responses.updated(updateFile.update(
                request.fileNameFromPath(), request.textContent(contentPolicy), request.ifMatch()), request));
    }
}
