package io.helloserverless.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.sun.net.httpserver.Filter;
import com.sun.net.httpserver.HttpExchange;
import io.helloserverless.lambda.http.Problem;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Semaphore;

/**
 * What keeps one client from starving the laptop server, before any body is read: a cap on the
 * requests served at once (more get {@code 503} with {@code Retry-After} at once, not a queue), a
 * {@code Content-Length} above the largest body refused with {@code 413} unread, an expectation
 * other than {@code 100-continue} refused with {@code 417}, a {@link Deadline} on the time the
 * request keeps its thread waiting on the client, and an {@link Error} (out of memory, say) or
 * an unexpected exception answered with a problem instead of a dropped connection.
 *
 * <p>A refused request's body, when it announces one of at most {@link #DRAIN_LIMIT} bytes, is
 * read and thrown away before the answer (under the request's deadline): a connection closed with
 * unread bytes is reset, and a reset drops the answer before the client reads it. A larger one is
 * answered at once, unread, and the connection closed.
 *
 * <p>The JDK server answers {@code Expect: 100-continue} itself, with {@code 100 Continue}, before
 * any filter or handler sees the request; a body announced too large is then refused as above.
 */
final class RequestGuard extends Filter {

    /** The limits; {@code maxBodyBytes} is the largest file, the largest body any route takes. */
    record Limits(long maxBodyBytes, int maxRequests) {
    }

    /** Twice the largest file the service ever takes (its 4 MiB ceiling): read to refuse it cleanly. */
    static final long DRAIN_LIMIT = 8L * 1024 * 1024;

    private static final System.Logger LOG = System.getLogger(RequestGuard.class.getName());

    private final Limits limits;
    private final Semaphore inFlight;
    private final Deadline.Watch deadlines;

    RequestGuard(Limits limits, Deadline.Watch deadlines) {
        this.limits = limits;
        this.inFlight = new Semaphore(limits.maxRequests());
        this.deadlines = deadlines;
    }

    @Override
    public String description() {
        return "request limits";
    }

    @Override
    public void doFilter(HttpExchange exchange, Chain chain) throws IOException {
        Deadline deadline = deadlines.start();
        try {
            if (!inFlight.tryAcquire()) {
                refuse(exchange, ApiGatewayBridge.gatewayProblem(503, "the server is serving " + limits.maxRequests()
                        + " requests already; retry later", UUID.randomUUID().toString(), Map.of("Retry-After", "1")));
                return;
            }
            try {
                APIGatewayProxyResponseEvent refusal = refusal(exchange);
                if (refusal != null) {
                    refuse(exchange, refusal);
                } else {
                    chain.doFilter(exchange);
                }
            } catch (RuntimeException | Error e) {
                answerFailure(exchange, e);
            } finally {
                inFlight.release();
            }
        } finally {
            deadline.end();
        }
    }

    /** The answer to a request refused on its headers alone, or null when it may go on. */
    private APIGatewayProxyResponseEvent refusal(HttpExchange exchange) {
        String expect = exchange.getRequestHeaders().getFirst("Expect");
        if (expect != null && !expect.equalsIgnoreCase("100-continue")) {
            return ApiGatewayBridge.gatewayProblem(417, "the only expectation understood is 100-continue",
                    UUID.randomUUID().toString(), Map.of());
        }
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        // The JDK server has refused a malformed or negative length already.
        if (length != null && Long.parseLong(length) > limits.maxBodyBytes()) {
            return ApiGatewayBridge.tooLarge(UUID.randomUUID().toString());
        }
        return null;
    }

    /** Answers, after reading and throwing away a body of at most {@link #DRAIN_LIMIT} bytes, and closes the connection. */
    private static void refuse(HttpExchange exchange, APIGatewayProxyResponseEvent response) throws IOException {
        try (exchange) {
            drainSmallBody(exchange);
            exchange.getResponseHeaders().set("Connection", "close");
            ApiGatewayBridge.send(exchange, exchange.getRequestMethod(), response);
        }
    }

    private static void drainSmallBody(HttpExchange exchange) {
        String length = exchange.getRequestHeaders().getFirst("Content-Length");
        if (length == null || Long.parseLong(length) > DRAIN_LIMIT) {
            return;
        }
        try {
            exchange.getRequestBody().transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // the client went away or the deadline ended the read: there is nobody left to answer cleanly
        }
    }

    /**
     * A failure thrown while serving: a problem when nothing was sent yet ({@code 503} for a lack
     * of memory, which passes, {@code 500} otherwise), else the connection closed on a short
     * response. It is logged by its class alone, as the functions log theirs.
     */
    private static void answerFailure(HttpExchange exchange, Throwable error) {
        LOG.log(System.Logger.Level.ERROR, "serving " + exchange.getRequestMethod() + " failed: " + error.getClass().getName());
        try {
            if (exchange.getResponseCode() == -1) {
                boolean memory = error instanceof OutOfMemoryError;
                refuse(exchange, ApiGatewayBridge.gatewayProblem(memory ? 503 : 500,
                        memory ? "the server ran short of memory; retry later" : "an unexpected error occurred",
                        UUID.randomUUID().toString(), memory ? Map.of("Retry-After", "1") : Map.of()));
            } else {
                exchange.close();
            }
        } catch (IOException | RuntimeException | Error e) {
            exchange.close();
        }
    }
}
