package io.helloserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * {@link LocalServer#close()} releases everything the server opened: started and closed again and
 * again, with Redis, an external PostgreSQL and the change event dispatcher, after every function
 * has served, it leaves no
 * client connection on Redis ({@code CLIENT LIST} of a Redis of its own, on a free port), none on
 * its database ({@code pg_stat_activity}), and no thread more than the first round left (the
 * JDK's own, started once per process).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LocalServerCloseIT {

    private static final int ROUNDS = 3;

    private final String pgHost = System.getenv().getOrDefault("PGHOST", "127.0.0.1");
    private final String pgPort = System.getenv().getOrDefault("PGPORT", "5432");
    private final String pgUser = System.getenv().getOrDefault("PGUSER", "postgres");
    private final String database = "hs_local_close_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private Process redis;
    private int redisPort;

    @BeforeAll
    void start() throws Exception {
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            redisPort = free.getLocalPort();
        }
        redis = new ProcessBuilder("redis-server", "--port", Integer.toString(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                redisClients();
                break;
            } catch (IOException e) {
                if (System.nanoTime() > until) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
        try (Connection admin = admin()) {
            admin.createStatement().execute("create database " + database);
        }
    }

    @AfterAll
    void stop() throws Exception {
        redis.destroy();
        redis.waitFor(10, TimeUnit.SECONDS);
        try (Connection admin = admin()) {
            admin.createStatement().execute("drop database if exists " + database + " with (force)");
        }
    }

    @Test
    void leavesNoConnectionNorThreadBehind() throws Exception {
        Map<String, Long> afterFirst = null;
        for (int round = 1; round <= ROUNDS; round++) {
            Path data = Files.createTempDirectory("hs-local-close-it");
            LocalServer server = LocalServer.start(LocalOptions.parse(new String[] {"--port=0", "--data-dir=" + data,
                    "--postgres=" + pgHost + ":" + pgPort + "/" + database, "--postgres-user=" + pgUser,
                    "--redis=127.0.0.1:" + redisPort,
                    // The dispatcher and its HTTP client too (nothing listens there: deliveries would be retried).
                    "--webhook-url=https://127.0.0.1:9/events"}, Map.of("HS_WEBHOOK_API_KEY", "close-it-key")));
            try (HttpClient client = RawClient.httpClient(server.certificate())) {
                useEveryFunction(client, server.port(), "round-" + round + ".txt");
                assertTrue(redisClients() > 0, "the server did connect to Redis");
                assertTrue(databaseConnections() > 0, "the server did connect to PostgreSQL");
            } finally {
                server.close();
            }

            assertEquals(0, eventually(this::redisClients), "Redis connections left after round " + round);
            assertEquals(0, eventually(this::databaseConnections), "PostgreSQL connections left after round " + round);
            if (afterFirst == null) {
                afterFirst = threads();
            } else {
                Map<String, Long> first = afterFirst;
                Set<String> more = eventuallyEmpty(() -> threads().entrySet().stream()
                        .filter(entry -> entry.getValue() > first.getOrDefault(entry.getKey(), 0L))
                        .map(entry -> entry.getKey() + " x" + entry.getValue())
                        .collect(Collectors.toCollection(TreeSet::new)));
                assertEquals(Set.of(), more, "threads left after round " + round + " beyond those the first round left "
                        + first);
            }
        }
    }

    private static void useEveryFunction(HttpClient client, int port, String name) throws Exception {
        String base = "https://localhost:" + port;
        List<Integer> statuses = new ArrayList<>();
        statuses.add(send(client, HttpRequest.newBuilder(URI.create(base + "/v1/files?name=" + name))
                .header("Content-Type", "text/plain").POST(BodyPublishers.ofString("text"))));
        statuses.add(send(client, HttpRequest.newBuilder(URI.create(base + "/v1/files/" + name)).GET()));
        statuses.add(send(client, HttpRequest.newBuilder(URI.create(base + "/v1/files?limit=5")).GET()));
        statuses.add(send(client, HttpRequest.newBuilder(URI.create(base + "/v1/files/" + name))
                .header("Content-Type", "text/plain").PUT(BodyPublishers.ofString("more text"))));
        statuses.add(send(client, HttpRequest.newBuilder(URI.create(base + "/v1/files/" + name)).DELETE()));
        statuses.add(send(client, HttpRequest.newBuilder(URI.create(base + "/v1/health")).GET()));
        assertEquals(List.of(201, 200, 200, 200, 204, 200), statuses);
    }

    private static int send(HttpClient client, HttpRequest.Builder request) throws Exception {
        return client.send(request.timeout(Duration.ofSeconds(10)).build(), BodyHandlers.discarding()).statusCode();
    }

    /**
     * Live platform threads, counted by name with the numbers taken out (a pool's threads under one
     * name), but two that are not the server's to stop:
     * <ul>
     *   <li>Helidon 4.5's idle-connection timer: a stopped server leaves its (idle, daemon) thread
     *       behind (helidon-io/helidon#11939, fixed upstream after 4.5.0);</li>
     *   <li>the JDK's process reapers: a cached pool whose idle threads live on for 60 s, so how many
     *       a round's {@code keytool} runs leave depends on timing (CI once saw two after round 3).</li>
     * </ul>
     */
    private static Map<String, Long> threads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> !thread.getName().equals("helidon-idle-connection-timer"))
                .filter(thread -> !thread.getName().startsWith("process reaper"))
                .collect(Collectors.groupingBy(thread -> thread.getName().replaceAll("[0-9]+", "N"), TreeMap::new,
                        Collectors.counting()));
    }

    /** Clients connected to our Redis, other than the one asking. */
    private int redisClients() throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), redisPort)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write("*2\r\n$6\r\nCLIENT\r\n$4\r\nLIST\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            StringBuilder header = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("Redis closed the connection");
                }
                header.append((char) c);
            }
            int length = Integer.parseInt(header.toString().trim().substring(1));
            String list = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return (int) Arrays.stream(list.split("\n")).filter(line -> !line.isBlank())
                    .filter(line -> !line.contains("cmd=client|list")).count();
        }
    }

    private int databaseConnections() throws Exception {
        try (Connection admin = admin();
             PreparedStatement query = admin.prepareStatement("select count(*) from pg_stat_activity where datname = ?")) {
            query.setString(1, database);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getInt(1);
            }
        }
    }

    private Connection admin() throws Exception {
        return DriverManager.getConnection("jdbc:postgresql://" + pgHost + ":" + pgPort + "/postgres", pgUser,
                System.getenv().getOrDefault("PGPASSWORD", ""));
    }

    private interface Count {
        int get() throws Exception;
    }

    private interface Names {
        Set<String> get() throws Exception;
    }

    /** A count that may take a moment to fall (a connection closing, a thread ending): waited for, up to 5 s. */
    private static int eventually(Count count) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int now = count.get();
        while (now > 0 && System.nanoTime() < until) {
            Thread.sleep(100);
            now = count.get();
        }
        return now;
    }

    private static Set<String> eventuallyEmpty(Names names) throws Exception {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        Set<String> now = names.get();
        while (!now.isEmpty() && System.nanoTime() < until) {
            Thread.sleep(100);
            now = names.get();
        }
        return now;
    }
}
