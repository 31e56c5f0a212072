package io.helloserverless.lambda;

import dagger.Component;
import io.helloserverless.core.usecase.ReadFile;
import io.helloserverless.lambda.http.HttpRequest;
import io.helloserverless.lambda.http.Responses;
import io.helloserverless.lambda.metrics.DependencyTimes;
import io.helloserverless.lambda.wiring.CacheModule;
import io.helloserverless.lambda.wiring.DatabaseModule;
import io.helloserverless.lambda.wiring.FunctionComponent;
import io.helloserverless.lambda.wiring.StorageModule;
import io.helloserverless.lambda.wiring.UseCaseModule;
import javax.inject.Singleton;

/** {@code GET} and {@code HEAD /v1/files/{name}}: reads a file, or only its headers. */
public final class ReadFileFunction extends ApiHandler {

    @Singleton
    @Component(modules = {UseCaseModule.class, DatabaseModule.class, StorageModule.class, CacheModule.class})
    interface Wiring extends FunctionComponent {
        ReadFile readFile();

        @Component.Factory
        interface Factory extends FunctionComponent.Factory<Wiring> {
        }
    }

    private final ReadFile readFile;
    private final DependencyTimes times;

    /** The Lambda entry point. */
    public ReadFileFunction() {
        this(Setup.lambda());
    }

    public ReadFileFunction(Setup setup) {
        super(setup);
        Wiring wiring = wire(DaggerReadFileFunction_Wiring.factory(), setup);
        this.readFile = wiring.readFile();
        this.times = wiring.dependencyTimes();
    }

    /** A cold read is answered from PostgreSQL and S3 while the Redis connection opens after it. */
    @Override
    protected boolean startsBackgroundStepsAfterFirstResponse() {
        return true;
    }

    @Override
    protected Outcome handle(HttpRequest request) {
        boolean withContent = !request.method().equals("HEAD");
        ReadFile.Result result = readFile.read(request.fileNameFromPath(), request.ifNoneMatch(), withContent);
        return new Outcome(Responses.read(result, request), times.source());
    }
}
