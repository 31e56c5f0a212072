package io.helloserverless.rehearsal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.rehearsal.function.TestHandler;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Lambda emulation itself, with a function zip made here and the official runtime interface
 * client: the Runtime API's success and error paths, init errors, the timeout, and the REPORT lines.
 */
class LambdaServiceIT {

    @TempDir
    Path folder;
    private final ByteArrayOutputStream logs = new ByteArrayOutputStream();

    private LambdaService function(int timeoutSeconds, Map<String, String> environment) throws IOException {
        Path zip = folder.resolve("test.zip");
        String entry = TestHandler.class.getName().replace('.', '/') + ".class";
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry(entry));
            try (var in = TestHandler.class.getClassLoader().getResourceAsStream(entry)) {
                in.transferTo(out);
            }
        }
        Deployment.Function spec = new Deployment.Function("test", TestHandler.class.getName() + "::handleRequest",
                256, timeoutSeconds, environment, List.of(), 1);
        return new LambdaService(spec, zip, folder.resolve("task"), Path.of(System.getProperty("rehearsal.runtime")),
                Map.of("AWS_REGION", "eu-west-1"), List.of(), "arn:aws:lambda:eu-west-1:123456789012:function:test",
                1, new PrintStream(logs, true, StandardCharsets.UTF_8));
    }

    private static String payload(LambdaService.Outcome outcome) {
        return switch (outcome) {
            case LambdaService.Outcome.Success s -> new String(s.payload(), StandardCharsets.UTF_8);
            case LambdaService.Outcome.FunctionError e -> new String(e.payload(), StandardCharsets.UTF_8);
        };
    }

    private List<String> reports() {
        return logs.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("[test] REPORT")).toList();
    }

    @Test
    void answersThroughTheRuntimeApiAndReportsInitOnTheColdStartOnly() throws Exception {
        try (LambdaService function = function(5, Map.of())) {
            assertEquals("{\"echo\":{\"n\":1}}", payload(function.invoke("{\"n\":1}".getBytes(StandardCharsets.UTF_8))));
            assertEquals("{\"echo\":{\"n\":2}}", payload(function.invoke("{\"n\":2}".getBytes(StandardCharsets.UTF_8))));
        }
        List<String> reports = reports();
        assertEquals(2, reports.size(), String.join("\n", reports));
        assertTrue(reports.get(0).contains("Init Duration:"), reports.get(0));
        assertTrue(!reports.get(1).contains("Init Duration:"), "the second call is warm: " + reports.get(1));
    }

    @Test
    void passesOnAFunctionsErrorAndKeepsTheEnvironment() throws Exception {
        try (LambdaService function = function(5, Map.of())) {
            LambdaService.Outcome failed = function.invoke("\"throw\"".getBytes(StandardCharsets.UTF_8));

            LambdaService.Outcome.FunctionError error = assertInstanceOf(LambdaService.Outcome.FunctionError.class, failed);
            assertTrue(payload(error).contains("UnsupportedOperationException"), payload(error));
            assertInstanceOf(LambdaService.Outcome.Success.class, function.invoke("1".getBytes(StandardCharsets.UTF_8)));
        }
        assertEquals(1, reports().stream().filter(r -> r.contains("Init Duration:")).count(), "one environment served both");
    }

    @Test
    void killsACallThatOutlastsTheTimeoutAndStartsAFreshEnvironmentAfter() throws Exception {
        try (LambdaService function = function(1, Map.of())) {
            long started = System.nanoTime();
            LambdaService.Outcome outcome = function.invoke("\"sleep\"".getBytes(StandardCharsets.UTF_8));
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;

            LambdaService.Outcome.FunctionError error = assertInstanceOf(LambdaService.Outcome.FunctionError.class, outcome);
            assertEquals("Sandbox.Timedout", error.type());
            assertTrue(payload(error).contains("Task timed out after 1.00 seconds"), payload(error));
            assertTrue(elapsedMs >= 1000 && elapsedMs < 5000, "ended at the timeout: " + elapsedMs + " ms");
            assertInstanceOf(LambdaService.Outcome.Success.class, function.invoke("2".getBytes(StandardCharsets.UTF_8)));
        }
        assertEquals(2, reports().stream().filter(r -> r.contains("Init Duration:")).count(), "the killed environment was replaced");
    }

    @Test
    void reportsAnInitErrorAsAFunctionError() throws Exception {
        try (LambdaService function = function(5, Map.of("FAIL_INIT", "true"))) {
            LambdaService.Outcome outcome = function.invoke("1".getBytes(StandardCharsets.UTF_8));

            LambdaService.Outcome.FunctionError error = assertInstanceOf(LambdaService.Outcome.FunctionError.class, outcome);
            assertEquals("Runtime.InitError", error.type());
        }
        assertTrue(logs.toString(StandardCharsets.UTF_8).contains("init failed on purpose"), logs.toString(StandardCharsets.UTF_8));
    }
}
