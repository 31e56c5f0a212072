package io.helloserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
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
        assertEquals(201, create(first, "first-before.txt"));
        assertEquals(201, create(second, "second-before.txt"));

        // Every connection is lost; each server logs in anew with the password it knows.
        int port = postgres.getPort();
        postgres.close();
        postgres = postgres(port);

        assertEquals(201, create(first, "first-after.txt"));
        assertEquals(200, read(first, "first-after.txt"));
        assertEquals(201, create(second, "second-after.txt"));
        assertEquals(200, read(second, "second-after.txt"));
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

    private static int create(LocalServer server, String name) throws Exception {
        return client(server).send(HttpRequest.newBuilder(uri(server, "/v1/files?name=" + name))
                .header("Content-Type", "text/plain").POST(BodyPublishers.ofString("hello " + name))
                .timeout(Duration.ofSeconds(30)).build(), BodyHandlers.ofString()).statusCode();
    }

    private static int read(LocalServer server, String name) throws Exception {
        return client(server).send(HttpRequest.newBuilder(uri(server, "/v1/files/" + name))
                .timeout(Duration.ofSeconds(30)).build(), BodyHandlers.ofString()).statusCode();
    }

    private static URI uri(LocalServer server, String pathAndQuery) {
        return URI.create("https://localhost:" + server.port() + pathAndQuery);
    }

    /** A client that trusts the server's own certificate. */
    private static HttpClient client(LocalServer server) throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream pem = Files.newInputStream(server.certificate())) {
            trusted.setCertificateEntry("localhost", CertificateFactory.getInstance("X.509").generateCertificate(pem));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, trust.getTrustManagers(), null);
        return HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
