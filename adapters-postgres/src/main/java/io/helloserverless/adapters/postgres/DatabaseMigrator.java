package io.helloserverless.adapters.postgres;

import io.helloserverless.core.domain.DependencyFailureException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.postgresql.PGConnection;

/**
 * Brings a database up to date, connected as the migration role (the owner of the schema, the
 * only role that runs DDL): applies the Flyway migrations under {@code db/migration}, then
 * creates or updates the runtime role, which may log in and read and write the application's
 * tables, and nothing else. Safe to run again: every step is idempotent.
 */
public final class DatabaseMigrator {

    /** The tables the runtime role works on. Flyway's history table is not one of them. */
    static final List<String> APPLICATION_TABLES = List.of(FilesTable.NAME_OF_TABLE, "change_events");

    /** Lower-case identifiers need no quoting rules beyond double quotes. */
    private static final Pattern ROLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final Connector migrationRole;

    public DatabaseMigrator(PostgresSettings settings, PostgresCredentials migrationRole) {
        this.migrationRole = new Connector(settings, migrationRole);
    }

    /**
     * Applies pending migrations and lets {@code runtimeRole} (created if missing) log in with
     * {@code runtimePassword}. Returns how many migrations it applied.
     */
    public int migrate(String runtimeRole, String runtimePassword) {
        Objects.requireNonNull(runtimePassword, "runtimePassword");
        if (!ROLE_NAME.matcher(runtimeRole).matches()) {
            throw new IllegalArgumentException("the runtime role must match " + ROLE_NAME);
        }
        // Opened first so that a rotated owner secret is refreshed before Flyway needs it.
        try (Connection owner = migrationRole.open()) {
            int applied = applyMigrations();
            grantRuntimeRole(owner, runtimeRole, runtimePassword);
            return applied;
        } catch (SQLException e) {
            throw new DependencyFailureException(DatabaseFailures.DEPENDENCY,
                    "setting up the runtime role failed (SQLState " + e.getSQLState() + ")");
        }
    }

    private int applyMigrations() {
        try {
            return Flyway.configure()
                    .dataSource(migrationRole.asDataSource())
                    .locations("classpath:db/migration")
                    .failOnMissingLocations(true)
                    .load()
                    .migrate()
                    .migrationsExecuted;
        } catch (FlywayException e) {
            // Flyway's messages name the failing migration and its DDL: no row data, no secret.
            throw new DependencyFailureException(DatabaseFailures.DEPENDENCY, "migration failed", e);
        }
    }

    private static void grantRuntimeRole(Connection owner, String role, String password) throws SQLException {
        String quoted = '"' + role + '"';
        owner.setAutoCommit(false);
        try (Statement statement = owner.createStatement()) {
            // PostgreSQL 10 has no CREATE ROLE IF NOT EXISTS; this form also survives a concurrent run.
            statement.execute("DO $$ BEGIN CREATE ROLE " + quoted + " LOGIN; "
                    + "EXCEPTION WHEN duplicate_object THEN NULL; END $$");
            statement.execute("ALTER ROLE " + quoted + " WITH LOGIN");
            // Hashed by the driver (as the server's password_encryption asks): the password itself
            // never reaches the server, so no statement log can show it.
            owner.unwrap(PGConnection.class).alterUserPassword(role, password.toCharArray(), null);
            statement.execute("GRANT USAGE ON SCHEMA public TO " + quoted);
            for (String table : APPLICATION_TABLES) {
                statement.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE " + table + " TO " + quoted);
            }
            owner.commit();
        } catch (SQLException e) {
            owner.rollback();
            throw e;
        }
    }
}
