package io.helloserverless.faults;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.util.ArchUtils;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.PGConnection;

/**
 * The servers' PostgreSQL, owned by the test so that it can restart it on the same port and data
 * directory. As in production every login over TCP needs a SCRAM password, the superuser's too
 * (it is trusted only while the test creates the owner role and the database); the servers log in
 * as the owner role, which migrates and sets up the runtime role, as {@code migrate} does on RDS.
 */
final class Postgres implements AutoCloseable {

    static final String DATABASE = "hs";
    static final String OWNER = "hs_owner";
    static final String SUPERUSER = "postgres";

    private static final String SETUP_HBA = """
            host all postgres 127.0.0.1/32 trust
            host all postgres ::1/128      trust
            """;
    private static final String SCRAM_HBA = """
            host all all 127.0.0.1/32 scram-sha-256
            host all all ::1/128      scram-sha-256
            """;

    private final Path folder;
    private final Path hba;
    private final Path log;
    private final String superuserPassword = Secrets.random();
    private final String ownerPassword = Secrets.random();
    private EmbeddedPostgres server;
    private int port;

    private Postgres(Path folder) {
        this.folder = folder;
        this.hba = folder.resolve("pg_hba.conf");
        this.log = folder.resolve("postgres.log");
    }

    /** A new cluster: the superuser gets a password, the owner role and the database are created, then SCRAM only. */
    static Postgres start(Path folder) throws IOException, SQLException {
        Files.createDirectories(folder);
        Postgres postgres = new Postgres(folder);
        Files.writeString(postgres.hba, SETUP_HBA + SCRAM_HBA);
        postgres.server = postgres.boot(0);
        postgres.port = postgres.server.getPort();
        try (Connection connection = postgres.server.getPostgresDatabase().getConnection();
             Statement sql = connection.createStatement()) {
            sql.execute("CREATE ROLE " + OWNER + " LOGIN CREATEROLE");
            // Hashed by the driver, as the server's password_encryption asks: no statement carries a password.
            PGConnection driver = connection.unwrap(PGConnection.class);
            driver.alterUserPassword(SUPERUSER, postgres.superuserPassword.toCharArray(), null);
            driver.alterUserPassword(OWNER, postgres.ownerPassword.toCharArray(), null);
            sql.execute("CREATE DATABASE " + DATABASE + " OWNER " + OWNER);
            Files.writeString(postgres.hba, SCRAM_HBA);
            sql.execute("SELECT pg_reload_conf()");
        }
        return postgres;
    }

    private EmbeddedPostgres boot(int fixedPort) throws IOException {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setDataDirectory(folder.resolve("data"))
                .setCleanDataDirectory(false)
                .setServerConfig("hba_file", hba.toString())
                .setServerConfig("password_encryption", "scram-sha-256")
                // The embedded default is off; an acknowledged write must survive the restart.
                .setServerConfig("synchronous_commit", "on")
                // Its readiness probe logs in as the superuser, by password once SCRAM is all there is.
                .setConnectConfig("password", superuserPassword)
                .setPgBinaryResolver(Postgres::binaries)
                .setOutputRedirector(java.lang.ProcessBuilder.Redirect.appendTo(log.toFile()))
                .setErrorRedirector(java.lang.ProcessBuilder.Redirect.appendTo(log.toFile()));
        if (fixedPort > 0) {
            builder.setPort(fixedPort);
        }
        return builder.start();
    }

    /**
     * The laptop server's jar lists its libraries in its manifest, so the binaries' jar is on this
     * class path twice (the same artifact), which zonky's own resolver refuses: take the first.
     */
    private static InputStream binaries(String system, String hardware) throws IOException {
        String name = ("postgres-" + system + "-" + ArchUtils.normalize(hardware) + ".txz").toLowerCase(java.util.Locale.ROOT);
        URL resource = Postgres.class.getClassLoader().getResource(name);
        if (resource == null) {
            throw new IOException(name + " is not on the class path (the laptop server's PostgreSQL binaries)");
        }
        return resource.openStream();
    }

    /** {@code HOST:PORT/DB} as the laptop server's {@code --postgres} takes it. */
    String address() {
        return "127.0.0.1:" + port + "/" + DATABASE;
    }

    int port() {
        return port;
    }

    String ownerPassword() {
        return ownerPassword;
    }

    /** Fast shutdown: every connection is closed by the server. */
    void stop() throws IOException {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Starts again on the same port over the same data; does nothing while it runs. */
    void restart() throws IOException {
        if (server == null) {
            server = boot(port);
        }
    }

    /** The test's own connection, as the superuser over SCRAM, to read what the servers committed. */
    Connection connect() throws SQLException {
        if (server == null) {
            throw new IllegalStateException("PostgreSQL is stopped");
        }
        return server.getDatabase(SUPERUSER, DATABASE).getConnection();
    }

    Path log() {
        return log;
    }

    @Override
    public void close() throws IOException {
        stop();
    }
}
