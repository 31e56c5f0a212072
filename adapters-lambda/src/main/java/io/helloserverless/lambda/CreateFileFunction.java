package io.helloserverless.lambda;

import dagger.BindsInstance;
import dagger.Component;
import io.helloserverless.core.domain.ContentPolicy;
import io.helloserverless.core.usecase.CreateFile;
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

/** {@code POST /v1/files?name=NAME}: creates a file. */
public final class CreateFileFunction extends ApiHandler {

    @Singleton
    @Component(modules = {UseCaseModule.class, DatabaseModule.class, StorageModule.class, CacheModule.class})
    interface Wiring {
        CreateFile createFile();

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

    private final CreateFile createFile;
    private final ContentPolicy contentPolicy;

    /** The Lambda entry point: configured from the environment, warmed up during an on-demand init. */
    public CreateFileFunction() {
        this(Config.fromEnvironment(), RequestLog.toStandardOutput(), Warmup.wantedAtInit());
    }

    public CreateFileFunction(Config config, RequestLog log) {
        this(config, log, false);
    }

    private CreateFileFunction(Config config, RequestLog log, boolean warmUp) {
        super("create-file", log);
        Wiring wiring = DaggerCreateFileFunction_Wiring.factory().create(config);
        measure(wiring.dependencyTimes());
        owns(wiring.resources());
        snapStart(wiring.snapshotHooks());
        if (warmUp) {
            wiring.warmup().run();
        }
        this.createFile = wiring.createFile();
        this.contentPolicy = wiring.contentPolicy();
    }

    @Override
    protected Outcome handle(HttpRequest request) {
        return Outcome.of(Responses.created(
                createFile.create(request.fileNameFromQuery(), request.textContent(contentPolicy)), request));
    }
}
