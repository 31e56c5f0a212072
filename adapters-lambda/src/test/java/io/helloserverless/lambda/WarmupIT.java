package io.helloserverless.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.lambda.http.RequestLog;
import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The on-demand warm-up as Lambda's entry points run it ({@code Setup.warmUp}), against the real
 * servers: what a function has connected to when init ends and after its first response
 * (docs/adr/0018-cold-start-off-the-critical-path.md). Connections are seen as in
 * {@link SnapStartIT}, by remote port.
 */
class WarmupIT {

    private static final RequestLog QUIET = new RequestLog(new PrintStream(OutputStream.nullOutputStream()));

    private static TestEnvironment environment;
    private static int database;
    private static int redis;

    @BeforeAll
    static void startServers() throws Exception {
        environment = TestEnvironment.start();
        database = environment.config.requireDatabase().port();
        redis = environment.config.redis().orElseThrow().port();
    }

    @AfterAll
    static void stopServers() throws Exception {
        environment.close();
    }

    private static Setup warmedUp() {
        Setup tests = environment.setup(QUIET);
        return new Setup(tests.config(), tests.overrides(), tests.log(), true);
    }

    @Test
    void readFileConnectsToTheDatabaseDuringInitAndToRedisOnlyAfterItsFirstResponse() throws Exception {
        Set<Long> before = Sockets.connections(List.of(database, redis));
        try (ApiHandler read = new ReadFileFunction(warmedUp())) {
            assertTrue(Sockets.awaitNewConnection(database, before), "init opened no database connection");
            Thread.sleep(1_000);
            assertEquals(Set.of(), Sockets.difference(Sockets.connections(List.of(redis)), before),
                    "Redis connected before the first request");

            assertEquals(404, read.handleRequest(Events.onFile("GET", "never-written.txt").event(),
                    TestEnvironment.context()).getStatusCode());

            assertTrue(Sockets.awaitNewConnection(redis, before), "no Redis connection after the first response");
        }
    }

    @Test
    void aWritingFunctionStartsConnectingToRedisDuringInitWithoutARequest() throws Exception {
        Set<Long> before = Sockets.connections(List.of(redis));
        try (ApiHandler create = new CreateFileFunction(warmedUp())) {
            assertTrue(Sockets.awaitNewConnection(redis, before), "no Redis connection from init");
        }
    }
}
