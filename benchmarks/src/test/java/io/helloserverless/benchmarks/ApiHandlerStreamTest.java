package io.helloserverless.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.helloserverless.lambda.ApiHandler;
import io.helloserverless.lambda.http.HttpRequest;
import io.helloserverless.lambda.http.HttpResponse;
import io.helloserverless.lambda.http.Problem;
import io.helloserverless.lambda.http.RequestLog;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The API handlers take their raw event as a stream and map it with Gson: what a handler sees and
 * what API Gateway gets back must be what the managed runtime's own serialiser would have given.
 */
class ApiHandlerStreamTest {

    private static final PojoSerializer<APIGatewayProxyRequestEvent> REQUESTS =
            LambdaEventSerializers.serializerFor(APIGatewayProxyRequestEvent.class, ApiHandlerStreamTest.class.getClassLoader());
    private static final PojoSerializer<APIGatewayProxyResponseEvent> RESPONSES =
            LambdaEventSerializers.serializerFor(APIGatewayProxyResponseEvent.class, ApiHandlerStreamTest.class.getClassLoader());

    /** Answers with what it read from the request, so the two paths can be compared. */
    static final class Echo extends ApiHandler {
        Echo() {
            super("echo", new RequestLog(new PrintStream(OutputStream.nullOutputStream())));
        }

        @Override
        protected Outcome handle(HttpRequest request) {
            return Outcome.of(HttpResponse.status(201)
                    .header("X-Method", request.method())
                    .header("X-Route", request.route())
                    .header("X-Name", request.fileNameFromPath().value())
                    .header("X-Query", request.query("q", Problem.INVALID_PREFIX).orElse("-"))
                    .header("X-Content-Type", request.header("Content-Type").orElse("-"))
                    .bytes("text/plain; charset=utf-8", request.body()));
        }
    }

    @Test
    void givesTheSameResponseAsTheRuntimesSerialiserWould() throws Exception {
        String event = ApiEvents.onFile("PUT", "grüße & <more>.txt").query("q", "x y").text("héllo, wörld\n").toJson();
        Echo handler = new Echo();

        APIGatewayProxyResponseEvent expected = handler.handleRequest(REQUESTS.fromJson(event), context());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(event.getBytes(StandardCharsets.UTF_8)), out, context());
        APIGatewayProxyResponseEvent actual = RESPONSES.fromJson(out.toString(StandardCharsets.UTF_8));

        assertEquals(201, actual.getStatusCode());
        assertEquals("grüße & <more>.txt", actual.getHeaders().get("X-Name"));
        assertEquals("x y", actual.getHeaders().get("X-Query"));
        assertEquals(expected.getStatusCode(), actual.getStatusCode());
        assertEquals(expected.getHeaders(), actual.getHeaders());
        assertEquals(expected.getMultiValueHeaders(), actual.getMultiValueHeaders());
        assertEquals(expected.getBody(), actual.getBody());
        assertEquals(expected.getIsBase64Encoded(), actual.getIsBase64Encoded());
    }

    private static Context context() {
        return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] {Context.class},
                (proxy, method, args) -> method.getName().equals("getAwsRequestId") ? "request-1" : null);
    }
}
