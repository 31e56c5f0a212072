package io.helloserverless.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cold-start harness end to end on the floor handlers: a child JVM, one event, its phases. */
class FakeRuntimeTest {

    @TempDir
    Path work;

    @Test
    void handsAnApiEventToARequestHandlerThroughTheRuntimesSerialiser() throws Exception {
        ColdStart cold = new ColdStart(work, Map.of());

        ColdStart.Run run = cold.run(cold.floorClassPath(), "io.helloserverless.benchmarks.runtime.NoopFunction",
                ApiEvents.onFile("GET", "a.txt").toJson(), List.of(), 0, null);

        assertEquals("200", run.status());
        assertTrue(run.wallMs() >= run.phases().get("main"), run.toString());
        assertTrue(run.phases().get("serialiser") > 0, run.toString());
    }

    @Test
    void reportsTheHeapAndResidentSetAfterRepeatedEvents() throws Exception {
        ColdStart cold = new ColdStart(work, Map.of());
        Map<String, String> memory = new java.util.HashMap<>();

        cold.run(cold.floorClassPath(), "io.helloserverless.benchmarks.runtime.NoopStreamFunction", "{}", List.of(), 10, memory);

        assertTrue(Long.parseLong(memory.get("heapAfterGc")) > 0, memory.toString());
        assertTrue(Long.parseLong(memory.get("rss")) > Long.parseLong(memory.get("heapAfterGc")), memory.toString());
        assertTrue(Files.exists(work), "work folder kept");
    }
}
