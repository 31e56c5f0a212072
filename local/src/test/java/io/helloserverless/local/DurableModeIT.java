package io.helloserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import jdk.jfr.consumer.RecordingStream;
import org.junit.jupiter.api.Test;

/**
 * What {@code --durable} (on by default) changes, seen from outside: the embedded PostgreSQL's
 * settings as the server reports them, and the blob files forced to disk (JFR's
 * {@code jdk.FileForce} events) before the write is acknowledged.
 */
class DurableModeIT {

    @Test
    void byDefaultThePostgresLogAndTheBlobAreForcedToDisk() throws Exception {
        Path data = Files.createTempDirectory("hs-durable");
        try (LocalServer server = LocalServer.start(LocalOptions.parse(
                new String[] {"--port=0", "--data-dir=" + data}, Map.of()))) {
            assertEquals("on", postgresSetting(data, "fsync"));
            assertEquals("on", postgresSetting(data, "full_page_writes"));
            assertEquals("on", postgresSetting(data, "synchronous_commit"));

            List<String> forced = forcedWhile(() -> assertEquals(201, LaptopClient.of(server).create("kept.txt")));

            Path bucket = data.resolve("s3").resolve("hello-serverless-local").toAbsolutePath();
            assertTrue(forced.stream().anyMatch(path -> path.startsWith(bucket.resolve("files") + "/")),
                    "the blob was forced: " + forced);
            assertTrue(forced.contains(bucket.resolve("files").toString()), "its directory was forced: " + forced);
        }
    }

    @Test
    void notDurableForcesNothing() throws Exception {
        Path data = Files.createTempDirectory("hs-not-durable");
        try (LocalServer server = LocalServer.start(LocalOptions.parse(
                new String[] {"--port=0", "--data-dir=" + data}, Map.of("HS_DURABLE", "false")))) {
            assertEquals("off", postgresSetting(data, "fsync"));

            List<String> forced = forcedWhile(() -> assertEquals(201, LaptopClient.of(server).create("fast.txt")));

            assertTrue(forced.stream().noneMatch(path -> path.startsWith(data.resolve("s3").toAbsolutePath().toString())),
                    "no blob was forced: " + forced);
        }
    }

    /** The paths of the files and directories forced to disk in this JVM while {@code work} ran. */
    private static List<String> forcedWhile(ThrowingRunnable work) throws Exception {
        List<String> forced = new CopyOnWriteArrayList<>();
        try (RecordingStream events = new RecordingStream()) {
            events.enable("jdk.FileForce").withoutThreshold();
            events.onEvent("jdk.FileForce", event -> forced.add(event.getString("path")));
            events.startAsync();
            work.run();
            events.stop();
        }
        return forced;
    }

    /** A setting as the running embedded PostgreSQL reports it; its port is in {@code postmaster.pid}. */
    private static String postgresSetting(Path data, String name) throws Exception {
        String port = Files.readAllLines(data.resolve("postgres").resolve("postmaster.pid")).get(3).trim();
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", "postgres", "");
             Statement sql = connection.createStatement();
             ResultSet row = sql.executeQuery("SHOW " + name)) {
            row.next();
            return row.getString(1);
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }
}
