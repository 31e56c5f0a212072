package io.helloserverless.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dagger.BindsInstance;
import dagger.Component;
import io.helloserverless.core.usecase.CollectOrphanBlobs;
import io.helloserverless.core.usecase.PurgeExpiredFiles;
import io.helloserverless.lambda.http.RequestLog;
import io.helloserverless.lambda.metrics.Emf;
import io.helloserverless.lambda.wiring.Config;
import io.helloserverless.lambda.wiring.Overrides;
import io.helloserverless.lambda.wiring.DatabaseModule;
import io.helloserverless.lambda.wiring.Resources;
import io.helloserverless.lambda.wiring.StorageModule;
import io.helloserverless.lambda.wiring.UseCaseModule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.inject.Singleton;

/**
 * Scheduled daily (hourly on the laptop): removes the metadata (and blobs) of expired files, in
 * bounded batches, then the orphan blobs: blobs no file points at, older than the grace period
 * (docs/adr/0012-orphan-collection.md). Its log line counts both, as metrics.
 */
public final class PurgeExpiredFunction implements RequestHandler<Map<String, Object>, Map<String, Object>>, AutoCloseable {

    /** 100 batches of 500 rows: each batch a short transaction, the run well inside its timeout. */
    static final int BATCH_SIZE = 500;
    static final int MAX_BATCHES = 100;
    /**
     * 200 pages of 1,000 blobs (a listing and one query each: a minute or two, estimated); a larger
     * bucket is covered over several runs, each starting at a random key.
     */
    static final int MAX_ORPHAN_PAGES = 200;

    @Singleton
    @Component(modules = {UseCaseModule.class, DatabaseModule.class, StorageModule.class})
    interface Wiring {
        PurgeExpiredFiles purgeExpiredFiles();

        CollectOrphanBlobs collectOrphanBlobs();

        Resources resources();

        @Component.Factory
        interface Factory {
            Wiring create(@BindsInstance Config config, @BindsInstance Overrides overrides);
        }
    }

    private final PurgeExpiredFiles purge;
    private final CollectOrphanBlobs collect;
    private static final String NAME = Functions.nameOf(PurgeExpiredFunction.class);

    private final RequestLog log;
    private final Resources resources;

    public PurgeExpiredFunction() {
        this(Setup.lambda());
    }

    public PurgeExpiredFunction(Setup setup) {
        Wiring wiring = DaggerPurgeExpiredFunction_Wiring.factory().create(setup.config(), setup.overrides());
        this.purge = wiring.purgeExpiredFiles();
        this.collect = wiring.collectOrphanBlobs();
        this.resources = wiring.resources();
        this.log = setup.log();
    }

    /** Closes the database connection and the S3 client (the laptop server, when it stops). */
    @Override
    public void close() {
        resources.close();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        long started = System.nanoTime();
        int purged = purge.purge(BATCH_SIZE, MAX_BATCHES);
        CollectOrphanBlobs.Result orphans = collect.run(MAX_ORPHAN_PAGES);
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("purged", purged);
        outcome.put("blobsExamined", orphans.examined());
        outcome.put("orphansRemoved", orphans.removed());
        outcome.put("orphansFailed", orphans.failed());
        outcome.put("blobsAllExamined", orphans.complete());
        log.job(NAME, context.getAwsRequestId(), System.nanoTime() - started, outcome, List.of(
                Emf.Metric.count("FilesPurged", purged),
                Emf.Metric.count("BlobsExamined", orphans.examined()),
                Emf.Metric.count("OrphanBlobsRemoved", orphans.removed()),
                Emf.Metric.count("OrphanBlobsFailed", orphans.failed())));
        return outcome;
    }
}
