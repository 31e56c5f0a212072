package io.helloserverless.lambda;

import dagger.BindsInstance;
import dagger.Component;
import io.helloserverless.core.domain.ContentPolicy;
import io.helloserverless.core.usecase.UpdateFile;
import io.helloserverless.lambda.http.ApiHandler;
import io.helloserverless.lambda.http.HttpRequest;
import io.helloserverless.lambda.http.RequestLog;
import io.helloserverless.lambda.metrics.DependencyTimes;
import io.helloserverless.lambda.http.Responses;
import io.helloserverless.lambda.wiring.CacheModule;
import io.helloserverless.lambda.wiring.Config;
import io.helloserverless.lambda.wiring.Resources;
import io.helloserverless.lambda.wiring.SnapshotHooks;
import io.helloserverless.lambda.wiring.DatabaseModule;
import io.helloserverless.lambda.wiring.StorageModule;
import io.helloserverless.lambda.wiring.UseCaseModule;
import io.helloserverless.lambda.wiring.Warmup;
import javax.inject.Singleton;

/** {@code PUT /v1/files/{name}} with optional {@code If-Match}: replaces a file's content. */
public final class UpdateFileFunction extends ApiHandler {

    @Singleton
    @Component(modules = {UseCaseModule.class, DatabaseModule.class, StorageModule.class, CacheModule.class})
    interface Wiring {
        UpdateFile updateFile();

        ContentPolicy contentPolicy();

        Warmup warmup();

        DependencyTimes dependencyTimes();

        Resources resources();

        SnapshotHooks snapshotHooks();

        @Component.Factory
        interface Factory {
            Wiring create(@BindsInstance Config config);
        }
    }

    private final UpdateFile updateFile;
    private final ContentPolicy contentPolicy;

    /** The Lambda entry point: configured from the environment, warmed up during an on-demand init. */
    public UpdateFileFunction() {
        this(Config.fromEnvironment(), RequestLog.toStandardOutput(), Warmup.wantedAtInit());
    }

    public UpdateFileFunction(Config config, RequestLog log) {
        this(config, log, false);
    }

    private UpdateFileFunction(Config config, RequestLog log, boolean warmUp) {
        super("update-file", log);
        Wiring wiring = DaggerUpdateFileFunction_Wiring.factory().create(config);
        measure(wiring.dependencyTimes());
        owns(wiring.resources());
        snapStart(wiring.snapshotHooks());
        if (warmUp) {
            wiring.warmup().run();
        }
        this.updateFile = wiring.updateFile();
        this.contentPolicy = wiring.contentPolicy();
    }

    @Override
    protected Outcome handle(HttpRequest request) {
        return Outcome.of(Responses.updated(updateFile.update(
                request.fileNameFromPath(), request.textContent(contentPolicy), request.ifMatch()), request));
    }
}
