package io.helloserverless.lambda;

import dagger.BindsInstance;
import dagger.Component;
import io.helloserverless.core.usecase.DeleteFile;
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

/** {@code DELETE /v1/files/{name}} with optional {@code If-Match}. */
public final class DeleteFileFunction extends ApiHandler {

    @Singleton
    @Component(modules = {UseCaseModule.class, DatabaseModule.class, StorageModule.class, CacheModule.class})
    interface Wiring {
        DeleteFile deleteFile();

        Warmup warmup();

        DependencyTimes dependencyTimes();

        Resources resources();

        SnapshotHooks snapshotHooks();

        @Component.Factory
        interface Factory {
            Wiring create(@BindsInstance Config config);
        }
    }

    private final DeleteFile deleteFile;

    /** The Lambda entry point: configured from the environment, warmed up during an on-demand init. */
    public DeleteFileFunction() {
        this(Config.fromEnvironment(), RequestLog.toStandardOutput(), Warmup.wantedAtInit());
    }

    public DeleteFileFunction(Config config, RequestLog log) {
        this(config, log, false);
    }

    private DeleteFileFunction(Config config, RequestLog log, boolean warmUp) {
        super("delete-file", log);
        Wiring wiring = DaggerDeleteFileFunction_Wiring.factory().create(config);
        measure(wiring.dependencyTimes());
        owns(wiring.resources());
        snapStart(wiring.snapshotHooks());
        if (warmUp) {
            wiring.warmup().run();
        }
        this.deleteFile = wiring.deleteFile();
    }

    @Override
    protected Outcome handle(HttpRequest request) {
        return Outcome.of(Responses.deleted(deleteFile.delete(request.fileNameFromPath(), request.ifMatch()), request));
    }
}
