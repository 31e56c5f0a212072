package io.helloserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An {@link Error} thrown while serving becomes a problem, not a dropped connection: a real
 * {@link OutOfMemoryError} (an array larger than the VM allows, which takes no memory to provoke)
 * in a handler behind the guard, on a JDK server as the laptop server runs it.
 */
class RequestGuardTest {

    private HttpServer server;
    private Deadline.Watch deadlines;
    private HttpClient client;

    @BeforeEach
    void start() throws Exception {
        deadlines = new Deadline.Watch(Duration.ofSeconds(2));
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", exchange -> {
            if (exchange.getRequestURI().getPath().equals("/out-of-memory")) {
                long[] tooLarge = new long[Integer.MAX_VALUE];
                exchange.getResponseHeaders().set("X-Length", Integer.toString(tooLarge.length));
            }
            byte[] body = "fine".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        }).getFilters().add(new RequestGuard(new RequestGuard.Limits(1024, 4), deadlines));
        server.start();
        client = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() {
        client.close();
        server.stop(0);
        deadlines.close();
    }

    @Test
    void answersAnOutOfMemoryErrorWith503AndServesOn() throws Exception {
        HttpResponse<String> failed = get("/out-of-memory");

        assertEquals(503, failed.statusCode());
        assertEquals("application/problem+json", failed.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("1", failed.headers().firstValue("Retry-After").orElseThrow());
        JsonObject problem = JsonParser.parseString(failed.body()).getAsJsonObject();
        assertEquals("urn:hello-serverless:problem:gateway-error", problem.get("type").getAsString());
        assertEquals(503, problem.get("status").getAsInt());
        assertEquals("fine", get("/other").body(), "the server serves on");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path))
                .timeout(Duration.ofSeconds(5)).build(), BodyHandlers.ofString());
    }
}
