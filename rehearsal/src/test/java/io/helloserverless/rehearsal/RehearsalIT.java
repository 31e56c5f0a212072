package io.helloserverless.rehearsal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.lambda.metrics.EmfDocument;
import io.helloserverless.local.RestApiSuite;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deployed artefacts with the deployed configuration: every function from its own zip under
 * the official runtime interface client, the environment read from {@code terraform/}, the API
 * from {@code openapi.yaml}, against TLS-only stand-ins of RDS ({@code verify-full}) and
 * ElastiCache (TLS and an ACL user), S3 and Secrets Manager. The REST suite of the laptop server runs here
 * unchanged; the tests below add what only a deploy has.
 */
class RehearsalIT extends RestApiSuite {

    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();
    private Rehearsal rehearsal;

    @BeforeAll
    void start() throws Exception {
        Path data = Files.createTempDirectory("hs-rehearsal-it");
        PrintStream log = new PrintStream(new Tee(System.out, logs), true, StandardCharsets.UTF_8);
        rehearsal = Rehearsal.start(new Rehearsal.Options(0, data, Path.of(System.getProperty("rehearsal.terraform")),
                Path.of(System.getProperty("rehearsal.functions")), Path.of(System.getProperty("rehearsal.runtime")), 2, false), log);
        client = client("TLSv1.2", "TLSv1.3");
    }

    @AfterAll
    void stop() {
        if (rehearsal != null) {
            rehearsal.close();
        }
    }

    @Override
    protected int port() {
        return rehearsal.port();
    }

    @Override
    protected Path trustedCertificate() {
        return rehearsal.caCertificate();
    }

    @Test
    void migratedTheDatabaseBeforeServingAsTheDeployDoes() {
        assertTrue(log().contains("\"function\":\"migrate\""), "the migrate function's log line");
        assertTrue(reports("migrate").findFirst().orElseThrow().contains("Init Duration"));
    }

    @Test
    void printsALambdaReportPerInvocationWithInitDurationOnAColdStartOnly() throws Exception {
        rehearsal.retire("list-files");
        send(HttpRequest.newBuilder(uri("/v1/files?limit=1")).GET());
        send(HttpRequest.newBuilder(uri("/v1/files?limit=1")).GET());

        List<String> reports = reports("list-files").toList();
        String cold = reports.get(reports.size() - 2);
        String warm = reports.getLast();
        assertTrue(cold.contains("Init Duration:"), cold);
        assertTrue(!warm.contains("Init Duration:"), warm);
        assertTrue(warm.matches(".*Memory Size: 1024 MB\\tMax Memory Used: \\d+ MB.*"), warm);
    }

    @Test
    void theSyntheticCheckPassesThroughTheGateway() {
        assertInstanceOf(LambdaService.Outcome.Success.class, rehearsal.invoke("synthetic-check", "{}"),
                "the daily check, run as its schedule runs it: " + tail("synthetic-check"));
    }

    @Test
    void purgeAndDispatchRunOnceEach() throws Exception {
        create("dispatched.txt", "an event for the remote service");
        int before = rehearsal.webhookDeliveries();

        LambdaService.Outcome purge = rehearsal.invoke("purge-expired", "{}");
        LambdaService.Outcome dispatch = rehearsal.invoke("dispatch-events", "{}");

        assertInstanceOf(LambdaService.Outcome.Success.class, purge, tail("purge-expired"));
        assertInstanceOf(LambdaService.Outcome.Success.class, dispatch, tail("dispatch-events"));
        assertTrue(rehearsal.webhookDeliveries() > before, "the remote service received the change events with the API key");
        EmfDocument dispatched = lastJobLine("dispatch-events");
        assertTrue(dispatched.metric("EventsDelivered") >= 1, "this run delivered the create's event");
        assertEquals(0, dispatched.metric("EventsParked"));
        assertTrue(dispatched.metric("EventsRetried") >= 0 && dispatched.metric("OldestPendingEventAge") >= 0);
        assertTrue(lastJobLine("purge-expired").metric("FilesPurged") >= 0);
    }

    /**
     * A frozen database (SIGSTOP: TCP still accepts, nothing answers) must cost the client a
     * 503 problem with Retry-After inside the function's timeout, not a function timeout (which
     * API Gateway turns into a bare 502).
     */
    @Test
    void aFrozenDatabaseGetsA503WithinTheFunctionTimeout() throws Exception {
        create("frozen.txt", "written before the freeze");
        send(HttpRequest.newBuilder(uri("/v1/files?limit=5")).GET()); // list-files warm: the time measured is the freeze's
        List<ProcessHandle> postgres = Stream.concat(Stream.of(rehearsal.database()), rehearsal.database().descendants()).toList();
        signal("STOP", postgres);
        HttpResponse<String> response;
        long elapsedMs;
        try {
            long started = System.nanoTime();
            response = send(HttpRequest.newBuilder(uri("/v1/files?limit=5")).GET());
            elapsedMs = (System.nanoTime() - started) / 1_000_000;
        } finally {
            signal("CONT", postgres);
        }
        assertEquals(503, response.statusCode(), response.body());
        assertEquals("application/problem+json", response.headers().firstValue("Content-Type").orElseThrow());
        assertTrue(response.headers().firstValue("Retry-After").isPresent());
        assertTrue(elapsedMs < 10_000, "answered in " + elapsedMs + " ms, well inside list-files' 15 s timeout");
        System.out.println("frozen database: 503 after " + elapsedMs + " ms");
        assertEquals(200, get("frozen.txt").statusCode(), "and the service recovers once the database answers again");
    }

    /** The function's latest JSON log line, checked against the Embedded Metric Format. */
    private EmfDocument lastJobLine(String function) {
        String prefix = "[" + function + "] {";
        String line = log().lines().filter(l -> l.startsWith(prefix)).reduce((first, second) -> second).orElseThrow();
        EmfDocument document = EmfDocument.parse(line.substring(prefix.length() - 1));
        assertEquals(List.of(), document.violations(), line);
        return document;
    }

    /**
     * A frozen ElastiCache (SIGSTOP) is a cache that is down: reads and writes still succeed from
     * PostgreSQL and S3 within the budget, the cache's 50 ms command timeout and breaker keep it
     * off the path.
     */
    @Test
    void aFrozenCacheCostsNoRequest() throws Exception {
        create("cache-frozen.txt", "before the freeze");
        List<ProcessHandle> redis = List.of(rehearsal.redis());
        signal("STOP", redis);
        HttpResponse<String> written;
        HttpResponse<String> read;
        long elapsedMs;
        try {
            long started = System.nanoTime();
            written = create("cache-frozen-2.txt", "during the freeze");
            read = get("cache-frozen.txt");
            elapsedMs = (System.nanoTime() - started) / 1_000_000;
        } finally {
            signal("CONT", redis);
        }
        assertEquals(201, written.statusCode(), written.body());
        assertEquals("before the freeze", read.body());
        System.out.println("frozen cache: a write and a read in " + elapsedMs + " ms");
        assertTrue(elapsedMs < 10_000, "both well inside their functions' timeouts: " + elapsedMs + " ms");
    }

    private static void signal(String signal, List<ProcessHandle> processes) throws Exception {
        for (ProcessHandle process : processes) {
            new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).inheritIO().start().waitFor();
        }
    }

    private String log() {
        synchronized (logs) {
            return logs.toString(StandardCharsets.UTF_8);
        }
    }

    private Stream<String> reports(String function) {
        return log().lines().filter(line -> line.startsWith("[" + function + "] REPORT RequestId: "));
    }

    private String tail(String function) {
        List<String> lines = log().lines().filter(line -> line.startsWith("[" + function + "]")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    /** Both to the build's output and to the test's copy. */
    private static final class Tee extends OutputStream {
        private final PrintStream first;
        private final ByteArrayOutputStream second;

        Tee(PrintStream first, ByteArrayOutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            synchronized (second) {
                first.write(bytes, offset, length);
                second.write(bytes, offset, length);
            }
        }
    }
}
