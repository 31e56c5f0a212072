package io.helloserverless.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.lambda.http.HttpRequest;
import io.helloserverless.lambda.http.HttpResponse;
import io.helloserverless.lambda.http.RequestLog;
import io.helloserverless.lambda.http.Responses;
import io.helloserverless.lambda.metrics.DependencyTimes;
import io.helloserverless.lambda.wiring.FunctionComponent;
import io.helloserverless.lambda.wiring.Warmup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import org.crac.Core;
import org.crac.Resource;

/**
 * What every API function does around its one use-case call: read the event, turn failures into
 * problem details, log one line, answer with the request id. Subclasses only translate.
 *
 * <p>The Lambda runtime hands it the raw event ({@link RequestStreamHandler}), which Gson, already
 * loaded for the API's JSON, maps onto the event types by their field names, the same names as
 * the JSON keys. Left to the runtime, a {@code RequestHandler} of these types costs its own
 * Jackson-based serialiser (about 0.4 s of class loading on the first event) and needs Joda-Time
 * on the class path, which that serialiser loads for every event type.
 */
public abstract class ApiHandler implements RequestStreamHandler, AutoCloseable, Resource {

    private static final Gson EVENTS = new GsonBuilder().disableHtmlEscaping().create();

    private final String function;
    private final RequestLog log;
    private DependencyTimes dependencies = new DependencyTimes();
    private AutoCloseable resources = () -> { };
    private Runnable startInBackground = () -> { };
    /** Set by {@link #wire}, which alone registers this handler for the checkpoint and restore. */
    private Resource snapshotHooks;
    /** Until the first request is answered: that request is this environment's cold start. */
    private volatile boolean cold = true;

    /** One of the service's functions: its name comes from its declaration in {@link Functions}. */
    protected ApiHandler(Setup setup) {
        this.function = Functions.nameOf(getClass());
        this.log = setup.log();
    }

    /** A handler that is not one of the service's functions (a test's, an embedding service's), named here. */
    protected ApiHandler(String function, RequestLog log) {
        this.function = function;
        this.log = log;
    }

    /** The outcome of one request: the response and, for the log, where a read was served from. */
    public record Outcome(HttpResponse response, String cache) {
        public static Outcome of(HttpResponse response) {
            return new Outcome(response, null);
        }
    }

    protected abstract Outcome handle(HttpRequest request);

    /**
     * Builds the function's component with {@code factory}: its times are what the request lines
     * report, what it opens {@link #close} closes, its hooks run at SnapStart's checkpoint and
     * restore, and it is warmed up if the setup asks.
     */
    protected final <C extends FunctionComponent> C wire(FunctionComponent.Factory<C> factory, Setup setup) {
        C component = factory.create(setup.config(), setup.overrides());
        this.dependencies = component.dependencyTimes();
        this.resources = component.resources();
        Warmup warmup = component.warmup();
        this.startInBackground = warmup::startInBackground;
        snapStart(component.snapshotHooks());
        if (setup.warmUp()) {
            if (!startsBackgroundStepsAfterFirstResponse()) {
                startInBackground.run();
            }
            warmup.run();
        }
        return component;
    }

    /**
     * Whether this function's first request needs nothing a background warm-up step prepares (the
     * Redis connection), so that those steps start after the first response instead of at init,
     * where they would compete with init and that request for the CPU. Whatever the answer, they
     * start after the first response (again after each SnapStart restore).
     */
    protected boolean startsBackgroundStepsAfterFirstResponse() {
        return false;
    }

    /**
     * Registers this function for SnapStart's checkpoint and restore with {@code hooks}, its
     * component's {@code SnapshotHooks}: CRaC keeps only a weak reference to a registered resource,
     * and the runtime keeps the handler. On a JVM without CRaC nothing calls it.
     */
    private void snapStart(Resource hooks) {
        this.snapshotHooks = hooks;
        Core.getGlobalContext().register(this);
    }

    /**
     * Before the SnapStart snapshot: this class's own path primed (a representative event parsed,
     * a response built and serialised), the classes that only a connection loads loaded, then the
     * component's dependencies primed and released.
     */
    @Override
    public void beforeCheckpoint(org.crac.Context<? extends Resource> context) throws Exception {
        loadConnectionClasses();
        try (Reader json = new InputStreamReader(ApiHandler.class.getResourceAsStream("priming-event.json"),
                StandardCharsets.UTF_8)) {
            HttpRequest request = HttpRequest.of(EVENTS.fromJson(json, APIGatewayProxyRequestEvent.class), null);
            request.fileNameFromPath();
            HttpResponse response = Responses.failure(
                    new DependencyFailureException("priming", "primed"), request);
            EVENTS.toJson(response.toEvent(request.requestId()), Writer.nullWriter());
        }
        snapshotHooks.beforeCheckpoint(context);
    }

    /**
     * Loads, without initialising them, the classes that opening connections (pgjdbc's, Lettuce's
     * over Netty, the JDK's HTTP client's) and the first request after a restore still load:
     * {@code snapstart-classes.txt}, written by {@code ./dev bench restore -Dpriming.list=...}
     * (docs/adr/0015-snapstart-priming.md). Nothing is initialised, so no static initialiser runs
     * (none seeds a random generator or starts a thread in the snapshot); names this function's
     * zip does not carry are skipped.
     */
    private static void loadConnectionClasses() throws IOException {
        ClassLoader loader = ApiHandler.class.getClassLoader();
        try (BufferedReader names = new BufferedReader(new InputStreamReader(
                ApiHandler.class.getResourceAsStream("snapstart-classes.txt"), StandardCharsets.UTF_8))) {
            for (String name = names.readLine(); name != null; name = names.readLine()) {
                try {
                    Class.forName(name, false, loader);
                } catch (ClassNotFoundException | LinkageError e) {
                    // not in this function's zip, or not loadable by name here
                }
            }
        }
    }

    /** After a restore the next request is this environment's first: logged as a cold start. */
    @Override
    public void afterRestore(org.crac.Context<? extends Resource> context) throws Exception {
        snapshotHooks.afterRestore(context);
        cold = true;
    }

    /**
     * Closes the connections and clients this function opened. Lambda never calls it (the
     * environment ends with its process); the laptop server does when it stops.
     */
    @Override
    public void close() throws Exception {
        resources.close();
    }

    @Override
    public final void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        APIGatewayProxyRequestEvent event;
        try (Reader json = new InputStreamReader(input, StandardCharsets.UTF_8)) {
            event = EVENTS.fromJson(json, APIGatewayProxyRequestEvent.class);
        }
        Writer json = new OutputStreamWriter(output, StandardCharsets.UTF_8);
        EVENTS.toJson(handleRequest(event, context), json);
        json.flush();
    }

    /** One request as an event object: what the laptop server and the tests call. */
    public final APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        long started = System.nanoTime();
        dependencies.reset();
        HttpRequest request = HttpRequest.of(event, context);
        Outcome outcome;
        Throwable error = null;
        try {
            outcome = handle(request);
        } catch (RuntimeException e) {
            error = e;
            outcome = Outcome.of(Responses.failure(e, request));
        }
        APIGatewayProxyResponseEvent response = outcome.response().toEvent(request.requestId());
        log.request(function, request, response.getStatusCode(), System.nanoTime() - started, outcome.cache(), error,
                dependencies.millis(), cold);
        if (cold) {
            cold = false;
            startInBackground.run();
        }
        return response;
    }
}
