package io.helloserverless.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dagger.BindsInstance;
import dagger.Component;
import io.helloserverless.core.usecase.DispatchChangeEvents;
import io.helloserverless.lambda.http.RequestLog;
import io.helloserverless.lambda.metrics.Emf;
import io.helloserverless.lambda.wiring.ChangeEventsModule;
import io.helloserverless.lambda.wiring.Config;
import io.helloserverless.lambda.wiring.Overrides;
import io.helloserverless.lambda.wiring.Resources;
import io.helloserverless.lambda.wiring.UseCaseModule;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.inject.Singleton;

/**
 * Scheduled every minute: delivers the pending change events to the remote service. Its log line
 * carries {@code parked}, the number of events given up on, which a metric filter turns into the
 * metric the parked-events alarm watches.
 */
public final class DispatchEventsFunction implements RequestHandler<Map<String, Object>, Map<String, Object>>, AutoCloseable {

    @Singleton
    @Component(modules = {UseCaseModule.class, ChangeEventsModule.class})
    interface Wiring {
        DispatchChangeEvents dispatchChangeEvents();

        Resources resources();

        @Component.Factory
        interface Factory {
            Wiring create(@BindsInstance Config config, @BindsInstance Overrides overrides);
        }
    }

    private final DispatchChangeEvents dispatch;
    private static final String NAME = Functions.nameOf(DispatchEventsFunction.class);

    private final RequestLog log;
    private final Resources resources;

    public DispatchEventsFunction() {
        this(Setup.lambda());
    }

    public DispatchEventsFunction(Setup setup) {
        Wiring wiring = DaggerDispatchEventsFunction_Wiring.factory().create(setup.config(), setup.overrides());
        this.dispatch = wiring.dispatchChangeEvents();
        this.resources = wiring.resources();
        this.log = setup.log();
    }

    /** Closes the outbox's database connection and the notifier's HTTP client (the laptop server, when it stops). */
    @Override
    public void close() {
        resources.close();
    }

    @Override
    public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
        long started = System.nanoTime();
        DispatchChangeEvents.Report report = dispatch.dispatch();
        Map<String, Object> outcome = new LinkedHashMap<>();
        outcome.put("delivered", report.delivered());
        outcome.put("retried", report.retried());
        outcome.put("parkedNow", report.parked());
        outcome.put("parked", report.parkedInAll());
        // The backlog's age is 0 when nothing is pending, so that its alarm always has data.
        double backlogSeconds = dispatch.oldestPendingAge().map(age -> age.toMillis() / 1000.0).orElse(0.0);
        log.job(NAME, context.getAwsRequestId(), System.nanoTime() - started, outcome, List.of(
                Emf.Metric.count("EventsDelivered", report.delivered()),
                Emf.Metric.count("EventsRetried", report.retried()),
                Emf.Metric.count("EventsParked", report.parked()),
                Emf.Metric.seconds("OldestPendingEventAge", backlogSeconds)));
        return outcome;
    }
}
