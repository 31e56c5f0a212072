package io.helloserverless.lambda;

import dagger.Component;
import io.helloserverless.core.domain.ListQuery;
import io.helloserverless.core.usecase.ListFiles;
import io.helloserverless.lambda.http.HttpRequest;
import io.helloserverless.lambda.http.Problem;
import io.helloserverless.lambda.http.Responses;
import io.helloserverless.lambda.wiring.DatabaseModule;
import io.helloserverless.lambda.wiring.FunctionComponent;
import io.helloserverless.lambda.wiring.UseCaseModule;
import javax.inject.Singleton;

/** {@code GET /v1/files?prefix=&limit=&cursor=}: a page of the listing. Needs the database alone. */
public final class ListFilesFunction extends ApiHandler {

    @Singleton
    @Component(modules = {UseCaseModule.class, DatabaseModule.class})
    interface Wiring extends FunctionComponent {
        ListFiles listFiles();

        @Component.Factory
        interface Factory extends FunctionComponent.Factory<Wiring> {
        }
    }

    private final ListFiles listFiles;

    /** The Lambda entry point. */
    public ListFilesFunction() {
        this(Setup.lambda());
    }

    public ListFilesFunction(Setup setup) {
        super(setup);
        Wiring wiring = wire(DaggerListFilesFunction_Wiring.factory(), setup);
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
