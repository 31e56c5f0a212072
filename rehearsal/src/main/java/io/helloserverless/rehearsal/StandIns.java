package io.helloserverless.rehearsal;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The stand-ins for RDS and ElastiCache: TLS only, logins only, as the deploy creates them. */
final class StandIns {

    /** The bootstrap superuser, trusted on loopback while the rehearsal sets the database up. */
    private static final String SETUP_HBA = """
            hostssl all postgres 127.0.0.1/32 trust
            hostssl all postgres ::1/128      trust
            """;
    /** TLS only, as rds.force_ssl = 1, and SCRAM passwords. */
    private static final String RUNTIME_HBA = """
            hostssl all all 127.0.0.1/32 scram-sha-256
            hostssl all all ::1/128      scram-sha-256
            """;

    private StandIns() {
    }

    /**
     * PostgreSQL as RDS runs it with {@code rds.force_ssl = 1}: {@code hostssl} lines only, SCRAM
     * passwords, TLS 1.2+, the certificate signed by the rehearsal's CA. The master login is
     * created as RDS creates it (a role that may create roles and databases, owner of the
     * database); the bootstrap superuser, which RDS gives nobody, is used only to set it up.
     */
    static EmbeddedPostgres rds(Path data, Pki pki, String database, String master, String masterPassword) throws Exception {
        Path hba = data.resolve("pg_hba.conf");
        Files.createDirectories(data);
        Files.writeString(hba, SETUP_HBA + RUNTIME_HBA);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(data.resolve("data"))
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(data.resolve("binaries").toFile())
                .setServerConfig("hba_file", hba.toString())
                .setServerConfig("ssl", "on")
                .setServerConfig("ssl_cert_file", pki.serverCertPem.toString())
                .setServerConfig("ssl_key_file", pki.serverKeyPem.toString())
                .setServerConfig("ssl_min_protocol_version", "TLSv1.2")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setServerConfig("synchronous_commit", "on")
                .start();
        try (Connection connection = postgres.getDatabase("postgres", "postgres").getConnection();
             Statement sql = connection.createStatement()) {
            ResultSet exists = sql.executeQuery("SELECT 1 FROM pg_roles WHERE rolname = '" + master + "'");
            String password = masterPassword.replace("'", "''");
            if (exists.next()) {
                sql.execute("ALTER ROLE " + master + " PASSWORD '" + password + "'");
            } else {
                sql.execute("CREATE ROLE " + master + " LOGIN CREATEROLE CREATEDB PASSWORD '" + password + "'");
                sql.execute("CREATE DATABASE " + database + " OWNER " + master);
            }
            // From now on, as in RDS, nobody is the superuser: its trust lines go.
            Files.writeString(hba, RUNTIME_HBA);
            sql.execute("SELECT pg_reload_conf()");
        }
        return postgres;
    }

    /**
     * Redis as ElastiCache runs it with in-transit encryption and RBAC: TLS only, the default
     * user as {@code cache.tf} sets it, the application's user with its access string.
     */
    static Process elastiCache(Path data, Pki pki, int port, String defaultAccess, String user, String access,
                               String password) throws IOException, InterruptedException {
        Files.createDirectories(data);
        Path config = data.resolve("redis.conf");
        Files.deleteIfExists(config);
        Files.createFile(config, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(config, String.join("\n", List.of(
                "bind 127.0.0.1",
                "port 0",
                "tls-port " + port,
                "tls-cert-file " + pki.serverCertPem,
                "tls-key-file " + pki.serverKeyPem,
                "tls-ca-cert-file " + pki.caPem,
                "tls-auth-clients no",
                "tls-protocols \"TLSv1.2 TLSv1.3\"",
                "save \"\"",
                "appendonly no",
                "dir " + data,
                "user default reset " + defaultAccess,
                "user " + user + " reset " + access + " >" + password)) + "\n");
        Process redis;
        try {
            redis = new ProcessBuilder("redis-server", config.toString())
                    .redirectErrorStream(true).redirectOutput(data.resolve("redis.log").toFile()).start();
        } catch (IOException e) {
            throw new IOException("redis-server is not installed (Debian: apt-get install redis-server)", e);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!redis.isAlive()) {
                throw new IllegalStateException("redis-server exited: " + Files.readString(data.resolve("redis.log")));
            }
            try (var socket = new java.net.Socket("127.0.0.1", port)) {
                return redis;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        redis.destroyForcibly();
        throw new IllegalStateException("redis-server did not listen on " + port + " within 10 s");
    }

    /** A free port on the loopback address, for a server that cannot be told to pick one. */
    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }
}
