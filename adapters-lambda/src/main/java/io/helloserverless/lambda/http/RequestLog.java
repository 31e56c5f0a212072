package io.helloserverless.lambda.http;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One structured JSON line per request on standard output, which Lambda ships to the central
 * log group. It names the route template, never the path (file names stay out of the logs), and
 * never carries file content, headers, or secrets; an error is logged by its class alone,
 * since messages of library exceptions can quote data.
 */
public final class RequestLog {

    private final PrintStream out;

    public RequestLog(PrintStream out) {
        this.out = out;
    }

    public static RequestLog toStandardOutput() {
        return new RequestLog(System.out);
    }

    /** The line of a scheduled or one-off job (purge, migrate): what it did, never data. */
    public void job(String function, String requestId, long nanos, Map<String, Object> outcome) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("level", "INFO");
        line.put("requestId", requestId);
        line.put("function", function);
        line.put("latencyMs", nanos / 1_000_000.0);
        line.putAll(outcome);
        out.println(Json.GSON.toJson(line));
    }

    void request(String function, HttpRequest request, int status, long nanos, String cache, Throwable error) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("level", status >= 500 ? "ERROR" : "INFO");
        line.put("requestId", request.requestId());
        line.put("function", function);
        line.put("method", request.method());
        line.put("route", request.route());
        line.put("status", status);
        line.put("latencyMs", nanos / 1_000_000.0);
        if (cache != null) {
            line.put("cache", cache);
        }
        if (error != null && status >= 500) {
            line.put("error", error.getClass().getName());
            if (error instanceof io.helloserverless.core.domain.DependencyFailureException d) {
                line.put("dependency", d.dependency());
            }
        }
        out.println(Json.GSON.toJson(line));
    }
}
