package io.helloserverless.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dagger.BindsInstance;
import dagger.Component;
import io.helloserverless.core.usecase.PurgeExpiredFiles;
import io.helloserverless.lambda.http.RequestLog;
import io.helloserverless.lambda.metrics.Emf;
import io.helloserverless.lambda.wiring.Config;
import io.helloserverless.lambda.wiring.DatabaseModule;
import io.helloserverless.lambda.wiring.StorageModule;
import io.helloserverless.lambda.wiring.UseCaseModule;
import java.util.List;
import java.util.Map;
import javax.inject.Singleton;

/** Scheduled daily: removes the metadata (and blobs) of expired files, in bounded batches. */
public final class PurgeExpiredFunction implements RequestHandler<Map<String, Object>, Map<String, Object>> {

    /** 100 batches of 500 rows: each batch a short transaction, the run well inside its timeout. */
    static final int BATCH_SIZE = 500;
    static final int MAX_BATCHES = 100;

    @Singleton
    @Component(modules = {UseCaseModule.class, DatabaseModule.class, StorageModule.class})
    interface Wiring {
        PurgeExpiredFiles purgeExpiredFiles();

        @Component.Factory
        interface Factory {
            Wiring create(@BindsInstance Config config);
        }
    }

    private final PurgeExpiredFiles purge;
    private final RequestLog log;

    public PurgeExpiredFunction() {
        this(Config.fromEnvironment(), RequestLog.toStandardOutput());
    }

    public PurgeExpiredFunction(Config config, RequestLog log) {
        this.purge = DaggerPurgeExpiredFunction_Wiring.factory().create(config).purgeExpiredFiles();
        this.log = log;
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        long started = System.nanoTime();
        int purged = purge.purge(BATCH_SIZE, MAX_BATCHES);
        Map<String, Object> outcome = Map.of("purged", purged);
        log.job("purge-expired", context.getAwsRequestId(), System.nanoTime() - started, outcome,
                List.of(Emf.Metric.count("FilesPurged", purged)));
        return outcome;
    }
}
