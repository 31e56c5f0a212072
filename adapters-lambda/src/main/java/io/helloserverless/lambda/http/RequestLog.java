package io.helloserverless.lambda.http;

import java.io.PrintStream;
import java.time.Instant;
import io.helloserverless.lambda.metrics.DependencyTimes;
import io.helloserverless.lambda.metrics.Emf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
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

    /** The line of a scheduled or one-off job (purge, migrate, dispatch): what it did, never data, and its metrics. */
    public void job(String function, String requestId, long nanos, Map<String, Object> outcome, List<Emf.Metric> metrics) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("time", Instant.now().toString());
        line.put("level", "INFO");
        line.put("requestId", requestId);
        line.put("function", function);
        line.put("latencyMs", nanos / 1_000_000.0);
        line.putAll(outcome);
        Emf.addTo(line, metrics);
        out.println(Json.GSON.toJson(line));
    }

    /**
     * The line of an API request, with its metrics: requests, latency, status class, where a read
     * was served from ({@code cache}: local_cache, shared_cache or store), the time spent in each
     * dependency, and whether it was the first of its execution environment (a cold start: Lambda
     * publishes no such metric, and its REPORT lines are below the log level kept).
     */
    public void request(String function, HttpRequest request, int status, long nanos, String cache, Throwable error,
                 Map<DependencyTimes.Dependency, Double> dependencies, boolean coldStart) {
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
        List<Emf.Metric> metrics = new ArrayList<>();
        metrics.add(Emf.Metric.count("Requests", 1));
        metrics.add(Emf.Metric.count("ColdStarts", coldStart ? 1 : 0));
        metrics.add(Emf.Metric.millis("Latency", nanos / 1_000_000.0));
        metrics.add(Emf.Metric.count("Status2xx", status / 100 == 2 ? 1 : 0));
        metrics.add(Emf.Metric.count("Status4xx", status / 100 == 4 ? 1 : 0));
        metrics.add(Emf.Metric.count("Status5xx", status / 100 == 5 ? 1 : 0));
        if (cache != null) {
            metrics.add(Emf.Metric.count("CacheL1Hits", cache.equals("local_cache") ? 1 : 0));
            metrics.add(Emf.Metric.count("CacheL2Hits", cache.equals("shared_cache") ? 1 : 0));
            metrics.add(Emf.Metric.count("StoreReads", cache.equals("store") ? 1 : 0));
        }
        dependencies.forEach((dependency, millis) -> metrics.add(Emf.Metric.millis(dependency.metric(), millis)));
        Emf.addTo(line, metrics);
        out.println(Json.GSON.toJson(line));
    }
}
