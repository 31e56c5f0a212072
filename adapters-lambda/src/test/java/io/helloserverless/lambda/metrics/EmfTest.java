package io.helloserverless.lambda.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.Gson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmfTest {

    private static String line(List<Emf.Metric> metrics) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("function", "read-file");
        Emf.addTo(line, metrics);
        return new Gson().toJson(line);
    }

    @Test
    void writesADocumentTheSpecificationAccepts() {
        EmfDocument document = EmfDocument.parse(line(List.of(Emf.Metric.millis("Latency", 12.5), Emf.Metric.count("Requests", 1))));

        assertEquals(List.of(), document.violations());
        assertEquals(12.5, document.metric("Latency"));
        assertEquals(List.of(List.of("function")), document.dimensions(), "one dimension: the function");
    }

    @Test
    void theCheckReportsWhatBreaksTheSpecification() {
        assertTrue(EmfDocument.parse("{\"function\":\"x\",\"Latency\":1}").violations().contains("no _aws object"));
        String unlisted = "{\"function\":\"x\",\"_aws\":{\"Timestamp\":1,\"CloudWatchMetrics\":[{\"Namespace\":\"n\","
                + "\"Dimensions\":[[\"function\",\"name\"]],\"Metrics\":[{\"Name\":\"Latency\",\"Unit\":\"Millis\"}]}]}}";
        List<String> violations = EmfDocument.parse(unlisted).violations();
        assertTrue(violations.contains("dimension name has no string member"), violations.toString());
        assertTrue(violations.contains("metric Latency has an unknown unit Millis"), violations.toString());
        assertTrue(violations.contains("metric Latency has no numeric member"), violations.toString());
    }

    @Test
    void refusesALineWithoutTheFunctionDimension() {
        assertThrows(IllegalArgumentException.class, () -> Emf.addTo(new LinkedHashMap<>(), List.of()));
    }
}
