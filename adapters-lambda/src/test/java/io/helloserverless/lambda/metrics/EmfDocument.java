package io.helloserverless.lambda.metrics;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks a log line against the CloudWatch Embedded Metric Format specification: the
 * {@code _aws} metadata (Timestamp, CloudWatchMetrics with Namespace, Dimensions, Metrics), its
 * limits (30 dimensions per set, 100 metrics per directive, the units CloudWatch knows), and the
 * target members every dimension and metric refers to. Shared with the rehearsal's tests.
 */
public final class EmfDocument {

    private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
            "Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
            "Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
            "Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
            "None");

    private final JsonObject line;

    private EmfDocument(JsonObject line) {
        this.line = line;
    }

    public static EmfDocument parse(String json) {
        return new EmfDocument(JsonParser.parseString(json).getAsJsonObject());
    }

    /** What breaks the specification; empty when the line is a valid EMF document. */
    public List<String> violations() {
        List<String> found = new ArrayList<>();
        if (!line.has("_aws") || !line.get("_aws").isJsonObject()) {
            found.add("no _aws object");
            return found;
        }
        JsonObject aws = line.getAsJsonObject("_aws");
        if (!aws.has("Timestamp") || !aws.get("Timestamp").isJsonPrimitive() || !aws.get("Timestamp").getAsJsonPrimitive().isNumber()) {
            found.add("_aws.Timestamp must be a number (epoch milliseconds)");
        }
        if (!aws.has("CloudWatchMetrics") || !aws.get("CloudWatchMetrics").isJsonArray()) {
            found.add("_aws.CloudWatchMetrics must be an array");
            return found;
        }
        for (JsonElement element : aws.getAsJsonArray("CloudWatchMetrics")) {
            JsonObject directive = element.getAsJsonObject();
            String namespace = directive.has("Namespace") ? directive.get("Namespace").getAsString() : "";
            if (namespace.isEmpty() || namespace.length() > 1024) {
                found.add("a directive needs a Namespace of 1 to 1024 characters");
            }
            if (!directive.has("Dimensions") || !directive.get("Dimensions").isJsonArray()) {
                found.add("a directive needs Dimensions, an array of dimension sets");
            } else {
                for (JsonElement set : directive.getAsJsonArray("Dimensions")) {
                    JsonArray keys = set.getAsJsonArray();
                    if (keys.size() > 30) {
                        found.add("a dimension set has more than 30 dimensions");
                    }
                    keys.forEach(key -> {
                        JsonElement value = line.get(key.getAsString());
                        if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isString()) {
                            found.add("dimension " + key.getAsString() + " has no string member");
                        }
                    });
                }
            }
            if (!directive.has("Metrics") || !directive.get("Metrics").isJsonArray()) {
                found.add("a directive needs Metrics, an array");
                continue;
            }
            JsonArray metrics = directive.getAsJsonArray("Metrics");
            if (metrics.size() > 100) {
                found.add("more than 100 metrics in a directive");
            }
            for (JsonElement definition : metrics) {
                JsonObject metric = definition.getAsJsonObject();
                String name = metric.has("Name") ? metric.get("Name").getAsString() : "";
                if (name.isEmpty() || name.length() > 1024) {
                    found.add("a metric needs a Name of 1 to 1024 characters");
                    continue;
                }
                if (metric.has("Unit") && !UNITS.contains(metric.get("Unit").getAsString())) {
                    found.add("metric " + name + " has an unknown unit " + metric.get("Unit").getAsString());
                }
                JsonElement value = line.get(name);
                if (value == null || !value.isJsonPrimitive() || !value.getAsJsonPrimitive().isNumber()) {
                    found.add("metric " + name + " has no numeric member");
                }
            }
        }
        return found;
    }

    /** The value of metric {@code name}, which the directive must list. */
    public double metric(String name) {
        boolean listed = false;
        for (JsonElement directive : line.getAsJsonObject("_aws").getAsJsonArray("CloudWatchMetrics")) {
            for (JsonElement definition : directive.getAsJsonObject().getAsJsonArray("Metrics")) {
                listed |= definition.getAsJsonObject().get("Name").getAsString().equals(name);
            }
        }
        if (!listed) {
            throw new AssertionError("the line lists no metric " + name + ": " + line);
        }
        return line.get(name).getAsDouble();
    }

    /** The dimension sets, each a list of keys. */
    public List<List<String>> dimensions() {
        List<List<String>> sets = new ArrayList<>();
        for (JsonElement directive : line.getAsJsonObject("_aws").getAsJsonArray("CloudWatchMetrics")) {
            for (JsonElement set : directive.getAsJsonObject().getAsJsonArray("Dimensions")) {
                List<String> keys = new ArrayList<>();
                set.getAsJsonArray().forEach(key -> keys.add(key.getAsString()));
                sets.add(keys);
            }
        }
        return sets;
    }
}
