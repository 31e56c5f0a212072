package io.helloserverless.lambda.http;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;

/**
 * What every API function does around its one use-case call: read the event, turn failures into
 * problem details, log one line, answer with the request id. Subclasses only translate.
 */
public abstract class ApiHandler implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

    private final String function;
    private final RequestLog log;

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

    @Override
    public final APIGatewayProxyResponseEvent handleRequest(APIGatewayProxyRequestEvent event, Context context) {
        long started = System.nanoTime();
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
        log.request(function, request, response.getStatusCode(), System.nanoTime() - started, outcome.cache(), error);
        return response;
    }
}
