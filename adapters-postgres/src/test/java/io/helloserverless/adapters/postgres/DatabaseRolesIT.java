package io.helloserverless.adapters.postgres;

import static io.helloserverless.adapters.postgres.TestDatabase.RUNTIME_ROLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.adapters.postgres.PostgresCredentials.Credentials;
import java.sql.SQLException;
import java.util.UUID;
import java.util.stream.Stream;
import org.jooq.exception.DataAccessException;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What the migration leaves behind: the schema, and a runtime role that can use it and do nothing else. */
class DatabaseRolesIT {

    static Stream<Named<TestDatabase>> servers() {
        return Stream.of(
                Named.of("PostgreSQL 10", TestDatabase.postgres10()),
                Named.of("current PostgreSQL", TestDatabase.current()));
    }

    @ParameterizedTest
    @MethodSource("servers")
    void letsTheRuntimeRoleReadAndWriteFiles(TestDatabase database) {
        database.emptyFilesTable();

        int inserted = database.asRuntimeRole(db -> db.execute("""
                insert into files values ('a.txt', 1, 'sha', 'etag', 1, now(), now(), now() + interval '1 day',
                'files/00000000000000000000000000000000')"""));
        int updated = database.asRuntimeRole(db -> db.execute("update files set version = 2 where name = 'a.txt'"));
        long version = database.asRuntimeRole(db ->
                db.fetchSingle("select version from files where name = 'a.txt'").get(0, Long.class));
        int deleted = database.asRuntimeRole(db -> db.execute("delete from files where name = 'a.txt'"));

        assertEquals(1, inserted);
        assertEquals(1, updated);
        assertEquals(2, version);
        assertEquals(1, deleted);
    }

    @ParameterizedTest
    @MethodSource("servers")
    void forbidsTheRuntimeRoleToCreateATable(TestDatabase database) {
        assertRefused(database, "create table public.intruder (id int)");
    }

    @ParameterizedTest
    @MethodSource("servers")
    void forbidsTheRuntimeRoleToAlterTheFilesTable(TestDatabase database) {
        assertRefused(database, "alter table files add column intruder int");
    }

    @ParameterizedTest
    @MethodSource("servers")
    void forbidsTheRuntimeRoleToDropTheFilesTable(TestDatabase database) {
        assertRefused(database, "drop table files");
    }

    @ParameterizedTest
    @MethodSource("servers")
    void forbidsTheRuntimeRoleToTruncateTheFilesTable(TestDatabase database) {
        assertRefused(database, "truncate files");
    }

    @ParameterizedTest
    @MethodSource("servers")
    void hidesTheMigrationHistoryFromTheRuntimeRole(TestDatabase database) {
        assertRefused(database, "select * from flyway_schema_history");
    }

    @ParameterizedTest
    @MethodSource("servers")
    void migratesAgainWithoutChangingAnything(TestDatabase database) {
        int applied = database.migrator().migrate(RUNTIME_ROLE, database.runtime().password());

        assertEquals(0, applied);
        int migrationsRecorded = database.asOwner(db ->
                db.fetchSingle("select count(*) from flyway_schema_history where success").get(0, Integer.class));
        boolean mayWorkWithFiles = database.asRuntimeRole(db -> db.fetchSingle(
                "select has_table_privilege('files', 'SELECT, INSERT, UPDATE, DELETE')").get(0, Boolean.class));
        boolean mayTruncateFiles = database.asRuntimeRole(db ->
                db.fetchSingle("select has_table_privilege('files', 'TRUNCATE')").get(0, Boolean.class));
        boolean mayWorkWithEvents = database.asRuntimeRole(db -> db.fetchSingle(
                "select has_table_privilege('change_events', 'SELECT, INSERT, UPDATE, DELETE')").get(0, Boolean.class));
        boolean mayTruncateEvents = database.asRuntimeRole(db ->
                db.fetchSingle("select has_table_privilege('change_events', 'TRUNCATE')").get(0, Boolean.class));
        assertEquals(3, migrationsRecorded);
        assertTrue(mayWorkWithFiles);
        assertFalse(mayTruncateFiles);
        assertTrue(mayWorkWithEvents);
        assertFalse(mayTruncateEvents);
    }

    /** On PostgreSQL 10 only: the machine's server lets every role in without a password. */
    @Test
    void setsANewPasswordForTheRuntimeRoleWhenMigratingAgain() throws SQLException {
        TestDatabase database = TestDatabase.postgres10();
        Credentials original = database.runtime();
        Credentials rotated = new Credentials(RUNTIME_ROLE, UUID.randomUUID().toString());
        try {
            database.migrator().migrate(RUNTIME_ROLE, rotated.password());

            assertEquals(1, database.selectOneAs(rotated));
            SQLException refused = assertThrows(SQLException.class, () -> database.selectOneAs(original));
            assertEquals("28P01", refused.getSQLState());
        } finally {
            database.migrator().migrate(RUNTIME_ROLE, original.password());
        }
    }

    private static void assertRefused(TestDatabase database, String statement) {
        DataAccessException refused = assertThrows(DataAccessException.class,
                () -> database.asRuntimeRole(db -> db.execute(statement)));
        assertEquals("42501", refused.sqlState(), refused.getMessage());
    }
}
