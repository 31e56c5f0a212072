package io.helloserverless.lambda;

import dagger.BindsInstance;
import dagger.Component;
import io.helloserverless.core.domain.ListQuery;
import io.helloserverless.core.usecase.ListFiles;
import io.helloserverless.lambda.http.ApiHandler;
import io.helloserverless.lambda.http.HttpRequest;
import io.helloserverless.lambda.http.Problem;
import io.helloserverless.lambda.http.RequestLog;
import io.helloserverless.lambda.metrics.DependencyTimes;
import io.helloserverless.lambda.http.Responses;
import io.helloserverless.lambda.wiring.Config;
import io.helloserverless.lambda.wiring.Resources;
import io.helloserverless.lambda.wiring.SnapshotHooks;
import io.helloserverless.lambda.wiring.DatabaseModule;
import io.helloserverless.lambda.wiring.UseCaseModule;
import io.helloserverless.lambda.wiring.Warmup;
import javax.inject.Singleton;

/** {@code GET /v1/files?prefix=&limit=&cursor=}: a page of the listing. Needs the database alone. */
public final class ListFilesFunction extends ApiHandler {

    @Singleton
    @Component(modules = {UseCaseModule.class, DatabaseModule.class})
    interface Wiring {
        ListFiles listFiles();

        Warmup warmup();

        DependencyTimes dependencyTimes();

        Resources resources();

        SnapshotHooks snapshotHooks();

        @Component.Factory
        interface Factory {
            Wiring create(@BindsInstance Config config);
        }
    }

    private final ListFiles listFiles;

    /** The Lambda entry point: configured from the environment, warmed up during an on-demand init. */
    public ListFilesFunction() {
        this(Config.fromEnvironment(), RequestLog.toStandardOutput(), Warmup.wantedAtInit());
    }

    public ListFilesFunction(Config config, RequestLog log) {
        this(config, log, false);
    }

    private ListFilesFunction(Config config, RequestLog log, boolean warmUp) {
        super("list-files", log);
        Wiring wiring = DaggerListFilesFunction_Wiring.factory().create(config);
        measure(wiring.dependencyTimes());
        owns(wiring.resources());
        snapStart(wiring.snapshotHooks());
        if (warmUp) {
            wiring.warmup().run();
        }
        this.listFiles = wiring.listFiles();
    }

    @Override
    protected Outcome handle(HttpRequest request) {
        ListQuery query = ListQuery.parse(
                request.query("prefix", Problem.INVALID_PREFIX).orElse(null),
                request.query("limit", Problem.INVALID_LIMIT).orElse(null),
                request.query("cursor", Problem.INVALID_CURSOR).orElse(null));
        return Outcome.of(Responses.page(listFiles.list(query)));
    }
}
