package io.helloserverless.lambda;

import dagger.BindsInstance;
import dagger.Component;
import io.helloserverless.core.usecase.ReadFile;
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
import java.util.Locale;
import javax.inject.Singleton;

/** {@code GET} and {@code HEAD /v1/files/{name}}: reads a file, or only its headers. */
public final class ReadFileFunction extends ApiHandler {

    @Singleton
    @Component(modules = {UseCaseModule.class, DatabaseModule.class, StorageModule.class, CacheModule.class})
    interface Wiring {
        ReadFile readFile();

        Warmup warmup();

        DependencyTimes dependencyTimes();

        Resources resources();

        SnapshotHooks snapshotHooks();

        @Component.Factory
        interface Factory {
            Wiring create(@BindsInstance Config config);
        }
    }

    private final ReadFile readFile;

    /** The Lambda entry point: configured from the environment, warmed up during an on-demand init. */
    public ReadFileFunction() {
        this(Config.fromEnvironment(), RequestLog.toStandardOutput(), Warmup.wantedAtInit());
    }

    public ReadFileFunction(Config config, RequestLog log) {
        this(config, log, false);
    }

    private ReadFileFunction(Config config, RequestLog log, boolean warmUp) {
        super("read-file", log);
        Wiring wiring = DaggerReadFileFunction_Wiring.factory().create(config);
        measure(wiring.dependencyTimes());
        owns(wiring.resources());
        snapStart(wiring.snapshotHooks());
        if (warmUp) {
            wiring.warmup().run();
        }
        this.readFile = wiring.readFile();
    }

    @Override
    protected Outcome handle(HttpRequest request) {
        boolean withContent = !request.method().equals("HEAD");
        ReadFile.Result result = readFile.read(request.fileNameFromPath(), request.ifNoneMatch(), withContent);
        String cache = switch (result) {
            case ReadFile.Result.Found found -> found.source().name().toLowerCase(Locale.ROOT);
            case ReadFile.Result.NotModified notModified -> notModified.source().name().toLowerCase(Locale.ROOT);
            case ReadFile.Result.NotFound notFound -> "store";
        };
        return new Outcome(Responses.read(result, request), cache);
    }
}
