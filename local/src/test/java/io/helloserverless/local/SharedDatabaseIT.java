package io.helloserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Two laptop servers on one external PostgreSQL that requires passwords (SCRAM for every role
 * but the bootstrap superuser, which only this test uses to set it up), as a team shares a
 * database: the second start must not lock the first out, even once every connection is new.
 */
class SharedDatabaseIT {

    private static final String OWNER = "hs_owner";
    private static final String OWNER_PASSWORD = "owner-password-for-this-test-only";
    private static final String HBA = """
            host all postgres 127.0.0.1/32 trust
            host all postgres ::1/128      trust
            host all all      127.0.0.1/32 scram-sha-256
            host all all      ::1/128      scram-sha-256
            """;

    private Path folder;
    private EmbeddedPostgres postgres;
    private LocalServer first;
    private LocalServer second;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable running : new AutoCloseable[] {first, second, postgres}) {
            if (running != null) {
                running.close();
            }
        }
    }

    @Test
    void bothServersKeepServingAfterTheDatabaseRestarts() throws Exception {
        folder = Files.createTempDirectory("hs-shared-db");
        Files.writeString(folder.resolve("pg_hba.conf"), HBA);
        postgres = postgres(0);
        try (Connection connection = postgres.getPostgresDatabase().getConnection();
             Statement sql = connection.createStatement()) {
            sql.execute("CREATE ROLE " + OWNER + " LOGIN CREATEROLE PASSWORD '" + OWNER_PASSWORD + "'");
            sql.execute("CREATE DATABASE files OWNER " + OWNER);
        }
        first = laptop("first");
        second = laptop("second");
        LaptopClient one = LaptopClient.of(first);
        LaptopClient two = LaptopClient.of(second);
        assertEquals(201, one.create("first-before.txt"));
        assertEquals(201, two.create("second-before.txt"));

        // Every connection is lost; each server logs in anew with the password it knows.
        int port = postgres.getPort();
        postgres.close();
        postgres = postgres(port);

        assertEquals(201, one.create("first-after.txt"));
        assertEquals(200, one.read("first-after.txt"));
        assertEquals(201, two.create("second-after.txt"));
        assertEquals(200, two.read("second-after.txt"));
    }

    private EmbeddedPostgres postgres(int port) throws Exception {
        return EmbeddedPostgres.builder()
                .setPort(port)
                .setDataDirectory(folder.resolve("postgres"))
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(folder.resolve("binaries").toFile())
                .setServerConfig("hba_file", folder.resolve("pg_hba.conf").toString())
                .setServerConfig("password_encryption", "scram-sha-256")
                .start();
    }

    private LocalServer laptop(String name) throws Exception {
        return LocalServer.start(LocalOptions.parse(new String[] {
                "--port=0", "--data-dir=" + folder.resolve(name),
                "--postgres=127.0.0.1:" + postgres.getPort() + "/files", "--postgres-user=" + OWNER},
                Map.of("PGPASSWORD", OWNER_PASSWORD)));
    }
}
