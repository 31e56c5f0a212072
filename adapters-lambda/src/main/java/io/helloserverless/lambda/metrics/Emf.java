package io.helloserverless.lambda.metrics;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * CloudWatch Embedded Metric Format inside the one JSON log line a function writes: CloudWatch
 * Logs turns the listed members into metrics, with no call on the request path. One dimension,
 * the function's name: a metric per file or per request would be a cost bug.
 */
public final class Emf {

    public static final String NAMESPACE = "hello-serverless";
    public static final String DIMENSION = "function";

    /** A value and its unit, one of EMF's: {@code Count}, {@code Milliseconds}, {@code Seconds}. */
    public record Metric(String name, String unit, double value) {
        public static Metric count(String name, long value) {
            return new Metric(name, "Count", value);
        }

        public static Metric millis(String name, double value) {
            return new Metric(name, "Milliseconds", value);
        }

        public static Metric seconds(String name, double value) {
            return new Metric(name, "Seconds", value);
        }
    }

    private Emf() {
    }

    /** Adds {@code metrics} to {@code line}, which holds the {@link #DIMENSION} member already. */
    public static void addTo(Map<String, Object> line, List<Metric> metrics) {
        if (!line.containsKey(DIMENSION)) {
            throw new IllegalArgumentException("the line has no " + DIMENSION + " member");
        }
        List<Map<String, String>> definitions = new ArrayList<>();
        for (Metric metric : metrics) {
            line.put(metric.name(), metric.value());
            definitions.add(Map.of("Name", metric.name(), "Unit", metric.unit()));
        }
        Map<String, Object> directive = new LinkedHashMap<>();
        directive.put("Namespace", NAMESPACE);
        directive.put("Dimensions", List.of(List.of(DIMENSION)));
        directive.put("Metrics", definitions);
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("Timestamp", System.currentTimeMillis());
        metadata.put("CloudWatchMetrics", List.of(directive));
        line.put("_aws", metadata);
    }
}
