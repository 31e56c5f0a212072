package io.helloserverless.benchmarks;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A mixed load over loopback HTTPS with keep-alive: 70% reads of 100 files, 20% creates of a
 * 1 KiB file, 10% lists, from 16 and from 256 connections at once (one virtual thread each,
 * closed loop), against the laptop server and against the static-response floor on the same front.
 * Every request is timed; an error is a socket error, a 5xx or any status other than the one
 * the request should get. The laptop server runs with as many requests at once as it has clients
 * ({@code --max-requests}), so that no refusal is counted as an error.
 */
final class Load {

    private static final int SECONDS = Integer.getInteger("load.seconds", 10);
    private static final int WARM_UP_SECONDS = 3;
    private static final int[] CONNECTIONS = {16, 256};
    private static final int FILES = 100;
    private static final int BODY = 1024;

    private record Result(int connections, double rate, double p50Millis, double p99Millis, long requests, long errors,
                          String firstError) {
    }

    private final BenchEnvironment environment;
    private final Path work;
    private final Path java = Path.of(System.getProperty("java.home"), "bin", "java");

    Load(BenchEnvironment environment, Path work) {
        this.environment = environment;
        this.work = work;
    }

    void run() throws Exception {
        String database = BenchEnvironment.DATABASE + "_load";
        environment.recreateDatabase(database);
        Path data = work.resolve("load");
        int maxRequests = Arrays.stream(CONNECTIONS).max().orElseThrow();
        int port = Throughput.freePort();
        Process local = Throughput.startChild(work, "hello-serverless is serving", java.toString(), "-cp",
                System.getProperty("java.class.path"), "io.helloserverless.local.LocalServer", "--port=" + port,
                "--data-dir=" + data, "--max-requests=" + maxRequests,
                "--postgres=" + environment.pgHost + ":" + environment.pgPort + "/" + database,
                "--postgres-user=" + environment.pgUser);
        SSLContext tls = trusting(data.resolve("tls/localhost.pem"));
        List<Result> laptop = new ArrayList<>();
        try {
            try (Connection setUp = new Connection(tls, port)) {
                for (int i = 0; i < FILES; i++) {
                    int status = setUp.exchange(create("load-" + i + ".txt"));
                    if (status != 201) {
                        throw new IllegalStateException("creating a file answered " + status);
                    }
                }
            }
            // The creates' invalidations refuse cache puts for the invalidation window (10 s).
            Thread.sleep(10_500);
            for (int connections : CONNECTIONS) {
                load(tls, port, connections, WARM_UP_SECONDS, true);
                laptop.add(load(tls, port, connections, SECONDS, true));
            }
        } finally {
            local.destroy();
            local.waitFor(20, TimeUnit.SECONDS);
        }

        int staticPort = Throughput.freePort();
        Process floor = Throughput.startChild(work, "static server ready", java.toString(), "-cp",
                System.getProperty("java.class.path"), StaticHttpsServer.class.getName(), Integer.toString(staticPort),
                data.resolve("tls/localhost.p12").toString(), data.resolve("tls/localhost.p12.password").toString(),
                Integer.toString(BODY), Integer.toString(maxRequests));
        List<Result> floors = new ArrayList<>();
        try {
            for (int connections : CONNECTIONS) {
                load(tls, staticPort, connections, WARM_UP_SECONDS, false);
                floors.add(load(tls, staticPort, connections, SECONDS, false));
            }
        } finally {
            floor.destroy();
            floor.waitFor(20, TimeUnit.SECONDS);
        }

        System.out.printf("## Load: mixed keep-alive clients over loopback HTTPS (70%% reads, 20%% creates of 1 KiB, "
                + "10%% lists; %d s after %d s of warm-up; --max-requests=%d)%n%n", SECONDS, WARM_UP_SECONDS, maxRequests);
        System.out.println("| server | connections | requests/s | p50 ms | p99 ms | errors |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (int i = 0; i < CONNECTIONS.length; i++) {
            print("floor: static-response laptop front", floors.get(i));
            print("laptop server, mixed", laptop.get(i));
        }
        System.out.println();
        for (Result result : laptop) {
            if (result.firstError() != null) {
                System.out.printf("First error at %d connections: %s%n", result.connections(), result.firstError());
            }
        }
    }

    private static void print(String server, Result result) {
        System.out.printf(Locale.ROOT, "| %s | %d | %.0f | %.1f | %.1f | %d of %d |%n", server, result.connections(),
                result.rate(), result.p50Millis(), result.p99Millis(), result.errors(), result.requests());
    }

    /** {@code connections} clients, each in a closed loop for {@code seconds}. */
    private static Result load(SSLContext tls, int port, int connections, int seconds, boolean mixed) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        AtomicLong errors = new AtomicLong();
        String[] firstError = new String[1];
        long[][] latencies = new long[connections][];
        int[] counts = new int[connections];
        List<Thread> clients = new ArrayList<>();
        long started = System.nanoTime();
        for (int c = 0; c < connections; c++) {
            int client = c;
            clients.add(Thread.ofVirtual().start(() -> {
                long[] mine = new long[4096];
                Random random = new Random(client);
                Connection connection = null;
                int sequence = 0;
                while (System.nanoTime() < until) {
                    int dice = random.nextInt(10);
                    String request;
                    int expected;
                    if (dice < 7) {
                        request = get("/v1/files/load-" + random.nextInt(FILES) + ".txt");
                        expected = 200;
                    } else if (dice < 9) {
                        request = create("load-" + port + "-" + connections + "-" + client + "-" + sequence++ + "-" + until + ".txt");
                        expected = mixed ? 201 : 200;
                    } else {
                        request = get("/v1/files?limit=100");
                        expected = 200;
                    }
                    long begin = System.nanoTime();
                    String error;
                    try {
                        if (connection == null) {
                            connection = new Connection(tls, port);
                        }
                        int status = connection.exchange(request);
                        error = status == expected ? null : "status " + status + " instead of " + expected;
                        if (connection.closed) {
                            connection.close();
                            connection = null;
                        }
                    } catch (IOException e) {
                        error = e.toString();
                        closeQuietly(connection);
                        connection = null;
                    }
                    if (counts[client] == mine.length) {
                        mine = Arrays.copyOf(mine, mine.length * 2);
                    }
                    mine[counts[client]++] = System.nanoTime() - begin;
                    if (error != null && errors.getAndIncrement() == 0) {
                        firstError[0] = error;
                    }
                }
                closeQuietly(connection);
                latencies[client] = mine;
            }));
        }
        for (Thread client : clients) {
            client.join();
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        int total = Arrays.stream(counts).sum();
        double[] millis = new double[total];
        int at = 0;
        for (int c = 0; c < connections; c++) {
            for (int i = 0; i < counts[c]; i++) {
                millis[at++] = latencies[c][i] / 1e6;
            }
        }
        Stats stats = Stats.of(millis);
        return new Result(connections, total / elapsed, stats.median(), stats.p99(), total, errors.get(), firstError[0]);
    }

    private static String get(String target) {
        return "GET " + target + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    private static String create(String name) {
        return "POST /v1/files?name=" + name + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: "
                + BODY + "\r\n\r\n" + "x".repeat(BODY - 1) + "\n";
    }

    private static SSLContext trusting(Path pem) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(pem)) {
            trusted.setCertificateEntry("localhost", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return tls;
    }

    private static void closeQuietly(Connection connection) {
        if (connection != null) {
            connection.close();
        }
    }

    /** One keep-alive HTTPS connection: a request written whole, its response read by {@code Content-Length}. */
    private static final class Connection implements AutoCloseable {

        private final SSLSocket socket;
        private final InputStream in;
        private final OutputStream out;
        /** Whether the server said it closes the connection after the last response. */
        boolean closed;

        Connection(SSLContext tls, int port) throws IOException {
            socket = (SSLSocket) tls.getSocketFactory().createSocket("localhost", port);
            socket.setSoTimeout(30_000);
            socket.startHandshake();
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        int exchange(String request) throws IOException {
            out.write(request.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String[] head = head().split("\r\n");
            int status = Integer.parseInt(head[0].split(" ")[1]);
            long length = 0;
            for (int i = 1; i < head.length; i++) {
                String line = head[i].toLowerCase(Locale.ROOT);
                if (line.startsWith("content-length:")) {
                    length = Long.parseLong(line.substring(15).trim());
                } else if (line.startsWith("connection:") && line.contains("close")) {
                    closed = true;
                }
            }
            in.skipNBytes(length);
            return status;
        }

        private String head() throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream(256);
            int matched = 0;
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("the connection ended before a response");
                }
                head.write(b);
                matched = (b == '\r' && matched % 2 == 0) || (b == '\n' && matched % 2 == 1) ? matched + 1 : 0;
            }
            return head.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public void close() {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }
}
