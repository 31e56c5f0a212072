package io.helloserverless.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import io.helloserverless.lambda.http.RequestLog;
import io.helloserverless.lambda.wiring.Config;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The SnapStart hooks on real functions against the real servers, called as CRaC calls them:
 * priming opens no connection to PostgreSQL, Redis, S3 or Secrets Manager and calls none; after
 * requests, the checkpoint hook leaves no connection to PostgreSQL or Redis open in this process
 * and no login reachable from the function; after the restore hook the next request reconnects
 * and reads the secret again. Open connections are this process's TCP sockets ({@code
 * /proc/self/fd} against {@code /proc/net/tcp}) by remote port. The SDK clients' idle HTTP
 * connections are the JDK's to close (docs/adr/0015-snapstart-priming.md): under SnapStart no call
 * reaches S3 or Secrets Manager before the snapshot, which the first test shows.
 */
class SnapStartIT {

    private static final RequestLog QUIET = new RequestLog(new PrintStream(OutputStream.nullOutputStream()));

    private static TestEnvironment environment;
    private static String password;

    @BeforeAll
    static void startServers() throws Exception {
        environment = TestEnvironment.start();
        String login = environment.secrets().value(TestEnvironment.DB_SECRET_ARN);
        password = JsonParser.parseString(login).getAsJsonObject().get("password").getAsString();
    }

    @AfterAll
    static void stopServers() throws Exception {
        environment.close();
    }

    /**
     * The hook closes what it opened before it returns, so a connection priming opened and closed
     * would not be among the sockets left: Redis (whose login here is no secret, so no Secrets
     * Manager call either) is a listener that never answers, and a connection waits in its backlog
     * until accepted, even one closed since.
     */
    @Test
    void primingBeforeTheCheckpointContactsNoDependency() throws Exception {
        try (ServerSocket redis = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Config config = environment.config;
            Config withListener = new Config(config.region(), config.database(), config.storage(),
                    Optional.of(new Config.Redis("127.0.0.1", redis.getLocalPort(), false, Optional.empty())),
                    config.maxFileBytes(), config.secretsEndpoint(), config.webhook(), config.orphanGrace());
            try (ApiHandler read = new ReadFileFunction(Setup.of(withListener, TestEnvironment.OVERRIDES, QUIET))) {
                Set<Long> before = Sockets.connections(dependencyPorts());
                int secretCalls = environment.secrets().calls();

                read.beforeCheckpoint(null);

                assertEquals(Set.of(), Sockets.difference(Sockets.connections(dependencyPorts()), before), "connections opened by priming");
                assertEquals(secretCalls, environment.secrets().calls(), "Secrets Manager was called");
                redis.setSoTimeout(200);
                assertThrows(SocketTimeoutException.class, () -> redis.accept().close(), "priming connected to Redis");
            }
        }
    }

    @Test
    void theCheckpointClosesEveryConnectionAndForgetsTheLoginAndTheRestoredFunctionReconnects() throws Exception {
        List<Integer> databaseAndCache = List.of(environment.config.requireDatabase().port(),
                environment.config.redis().orElseThrow().port());
        Set<Long> before = Sockets.connections(databaseAndCache);
        try (ApiHandler create = new CreateFileFunction(environment.setup(QUIET))) {
            assertEquals(201, create.handleRequest(Events.request("POST", "/v1/files", "/v1/files")
                    .query("name", "snapshot.txt").text("before the snapshot").event(), TestEnvironment.context()).getStatusCode());
        }
        try (ApiHandler read = new ReadFileFunction(environment.setup(QUIET))) {
            assertEquals(200, read(read));
            for (int port : databaseAndCache) {
                // Redis connects in the background after read-file's first response
                assertTrue(Sockets.awaitNewConnection(port, before), "the check sees no connection to " + port);
            }
            assertTrue(reachable(read, password), "the check sees the login the function holds");

            read.beforeCheckpoint(null);

            assertEquals(Set.of(), Sockets.difference(Sockets.connections(databaseAndCache), before), "connections left open for the snapshot");
            assertFalse(reachable(read, password), "the database login is reachable from the function");

            int secretCalls = environment.secrets().calls();
            read.afterRestore(null);
            // a file never read, so that the in-process tier cannot answer: PostgreSQL must
            assertEquals(404, read.handleRequest(Events.onFile("GET", "never-written.txt").event(),
                    TestEnvironment.context()).getStatusCode());
            assertTrue(environment.secrets().calls() > secretCalls, "the login was not read again after the restore");
        }
    }

    /** A read of the file create-file wrote: after the write, a miss that goes to PostgreSQL and S3. */
    private static int read(ApiHandler read) {
        return read.handleRequest(Events.onFile("GET", "snapshot.txt").event(), TestEnvironment.context()).getStatusCode();
    }

    private static List<Integer> dependencyPorts() {
        return List.of(environment.config.requireDatabase().port(), environment.config.redis().orElseThrow().port(),
                environment.config.requireStorage().endpoint().orElseThrow().getPort(),
                environment.config.secretsEndpoint().orElseThrow().getPort());
    }

    /**
     * Whether {@code secret} is in a string, or a byte or char array, reachable from {@code root}
     * through the fields of the application's and libraries' objects and the contents of the JDK's
     * maps, collections, optionals and atomic references (the JDK's other objects are not entered).
     */
    private static boolean reachable(Object root, String secret) throws IllegalAccessException {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> next = new ArrayDeque<>(List.of(root));
        java.util.function.Consumer<Object> push = o -> {
            if (o != null) {
                next.push(o);
            }
        };
        byte[] secretBytes = secret.getBytes(StandardCharsets.UTF_8);
        while (!next.isEmpty()) {
            Object object = next.pop();
            if (!seen.add(object)) {
                continue;
            }
            Class<?> type = object.getClass();
            if (object instanceof String text) {
                if (text.contains(secret)) {
                    return true;
                }
            } else if (object instanceof byte[] bytes) {
                if (indexOf(bytes, secretBytes)) {
                    return true;
                }
            } else if (object instanceof char[] chars) {
                if (new String(chars).contains(secret)) {
                    return true;
                }
            } else if (type.isArray()) {
                if (!type.getComponentType().isPrimitive()) {
                    for (int i = 0; i < Array.getLength(object); i++) {
                        push.accept(Array.get(object, i));
                    }
                }
            } else if (!type.getModule().isNamed()) {
                for (Class<?> c = type; c != null && !c.getModule().isNamed(); c = c.getSuperclass()) {
                    for (Field field : c.getDeclaredFields()) {
                        if (!Modifier.isStatic(field.getModifiers()) && !field.getType().isPrimitive()) {
                            field.setAccessible(true);
                            push.accept(field.get(object));
                        }
                    }
                }
            } else if (object instanceof Map<?, ?> map) {
                map.forEach((key, value) -> {
                    push.accept(key);
                    push.accept(value);
                });
            } else if (object instanceof Collection<?> collection) {
                collection.forEach(push);
            } else if (object instanceof Optional<?> optional) {
                optional.ifPresent(push);
            } else if (object instanceof AtomicReference<?> reference) {
                push.accept(reference.get());
            }
        }
        return false;
    }

    private static boolean indexOf(byte[] bytes, byte[] part) {
        outer:
        for (int i = 0; i + part.length <= bytes.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (bytes[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
