package io.helloserverless.adapters.postgres;

import static io.helloserverless.core.testing.TestFiles.RETENTION;
import static io.helloserverless.core.testing.TestFiles.T0;
import static io.helloserverless.core.testing.TestFiles.file;
import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.adapters.postgres.PostgresCredentials.Credentials;
import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.domain.FileMetadata;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** How the store's one connection survives what happens to connections: kills, rotation, outages, slowness. */
class ConnectionRecoveryIT {

    private static final Duration NEVER_IDLE_ENOUGH = Duration.ofHours(1);
    private static final Duration SHORT = Duration.ofSeconds(1);

    static Stream<Named<TestDatabase>> servers() {
        return Stream.of(
                Named.of("PostgreSQL 10", TestDatabase.postgres10()),
                Named.of("current PostgreSQL", TestDatabase.current()));
    }

    @ParameterizedTest
    @MethodSource("servers")
    void readsOnANewConnectionWhenTheServerKilledTheLastOne(TestDatabase database) {
        database.emptyFilesTable();
        try (PostgresMetadataStore store = storeWithoutIdleValidation(database)) {
            FileMetadata file = file("survivor.txt", T0);
            store.insert(file);

            assertEquals(1, database.killRuntimeConnections());

            assertEquals(Optional.of(file), store.findLive(file.name(), T0));
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void writesOnANewConnectionWhenTheServerKilledTheLastOne(TestDatabase database) {
        database.emptyFilesTable();
        try (PostgresMetadataStore store = storeWithoutIdleValidation(database)) {
            FileMetadata current = file("survivor.txt", T0);
            store.insert(current);
            FileMetadata next = current.nextRevision(text("after the kill"), T0.plusSeconds(1), RETENTION);

            assertEquals(1, database.killRuntimeConnections());

            assertTrue(store.replace(current, next));
            assertEquals(Optional.of(next), store.findLive(current.name(), T0.plusSeconds(1)));
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void replacesAnIdleConnectionThatNoLongerAnswers(TestDatabase database) {
        PostgresSettings validateEveryUse = database.settings().withValidateAfterIdle(Duration.ZERO);
        try (SingleConnection connection = new SingleConnection(validateEveryUse, PostgresCredentials.fixed(database.runtime()))) {
            // Straight through jOOQ, without the store's retry: only the validation can save this call.
            var sql = DSL.using(connection, SQLDialect.POSTGRES);
            int before = sql.fetchSingle("select pg_backend_pid()").get(0, Integer.class);

            assertEquals(1, database.killRuntimeConnections());

            int after = sql.fetchSingle("select pg_backend_pid()").get(0, Integer.class);
            assertNotEquals(before, after);
        }
    }

    @Test
    void asksForFreshCredentialsOnceWhenThePasswordIsRefused() {
        TestDatabase database = TestDatabase.postgres10();
        RotatedCredentials credentials = new RotatedCredentials(
                new Credentials(TestDatabase.RUNTIME_ROLE, "rotated-away"), database.runtime());
        try (PostgresMetadataStore store = PostgresMetadataStore.create(database.settings(), credentials)) {

            assertEquals(Optional.empty(), store.findLive(file("missing.txt", T0).name(), T0));
            assertEquals(1, credentials.refreshes.get());
        }
    }

    @Test
    void givesUpWhenTheFreshCredentialsAreRefusedToo() {
        TestDatabase database = TestDatabase.postgres10();
        Credentials wrong = new Credentials(TestDatabase.RUNTIME_ROLE, "wrong-password-1234");
        RotatedCredentials credentials = new RotatedCredentials(wrong, wrong);
        try (PostgresMetadataStore store = PostgresMetadataStore.create(database.settings(), credentials)) {

            DependencyFailureException failure = assertThrows(DependencyFailureException.class,
                    () -> store.findLive(file("missing.txt", T0).name(), T0));
            assertEquals(1, credentials.refreshes.get());
            assertEquals("database", failure.dependency());
            assertTrue(failure.getMessage().contains("28P01"), failure.getMessage());
            assertFalse(failure.getMessage().contains(wrong.password()), failure.getMessage());
        }
    }

    @Test
    void reportsADatabaseThatIsDownWithinTheConnectTimeout() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        PostgresSettings settings = PostgresSettings.of("127.0.0.1", closedPort, "any")
                .withTimeouts(SHORT, Duration.ofSeconds(2), SHORT);

        assertFailsWithin(Duration.ofSeconds(2), settings);
    }

    @Test
    void reportsADatabaseThatDoesNotAnswerWithinTheConnectTimeout() throws IOException {
        // Accepts connections (the kernel completes the handshake) and never says a word.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            PostgresSettings settings = PostgresSettings.of("127.0.0.1", silent.getLocalPort(), "any")
                    .withTimeouts(SHORT, Duration.ofSeconds(2), SHORT);

            assertFailsWithin(Duration.ofSeconds(2), settings);
        }
    }

    /**
     * Callers queued on one connection whose database does not answer: each waits for its turn at
     * most the connect timeout, so the last of them is answered within about twice the connect
     * timeout, not after every one before it has spent a connect timeout of its own.
     */
    @Test
    void callersQueuedOnAStalledConnectionGiveUpAfterTheConnectTimeout() throws Exception {
        int callers = 5;
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             SingleConnection connection = new SingleConnection(
                     PostgresSettings.of("127.0.0.1", silent.getLocalPort(), "any").withTimeouts(SHORT, Duration.ofSeconds(2), SHORT),
                     PostgresCredentials.fixed(new Credentials("nobody", "irrelevant")));
             var threads = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            long start = System.nanoTime();
            List<java.util.concurrent.Future<RuntimeException>> outcomes = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                outcomes.add(threads.submit(() -> assertThrows(RuntimeException.class, connection::acquire)));
            }
            List<RuntimeException> failures = new ArrayList<>();
            for (var outcome : outcomes) {
                failures.add(outcome.get(30, java.util.concurrent.TimeUnit.SECONDS));
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertTrue(took.compareTo(SHORT.multipliedBy(3)) < 0, "the last caller was answered after " + took);
            List<String> gaveUp = failures.stream().filter(DependencyFailureException.class::isInstance)
                    .map(Throwable::getMessage).toList();
            assertFalse(gaveUp.isEmpty(), "nobody gave up waiting: " + failures);
            assertTrue(gaveUp.stream().allMatch(message -> message.startsWith("database: ")), gaveUp.toString());
        }
    }

    @Test
    void cancelsAStatementThatOutlastsTheStatementTimeout() {
        TestDatabase database = TestDatabase.postgres10();
        database.emptyFilesTable();
        PostgresSettings settings = database.settings()
                .withTimeouts(SHORT, Duration.ofSeconds(2), Duration.ofMillis(300));
        FileMetadata current = file("locked-by-someone-else.txt", T0);
        try (PostgresMetadataStore store = PostgresMetadataStore.create(settings, PostgresCredentials.fixed(database.runtime()))) {
            store.insert(current);
            FileMetadata next = current.nextRevision(text("blocked"), T0.plusSeconds(1), RETENTION);

            DependencyFailureException failure = database.asOwner(db -> db.transactionResult(tx -> {
                tx.dsl().execute("select * from files for update");
                return assertThrows(DependencyFailureException.class, () -> store.replace(current, next));
            }));

            assertTrue(failure.getMessage().contains("57014"), failure.getMessage());
            assertFalse(failure.getMessage().contains(current.name().value()), failure.getMessage());
            assertEquals(Optional.of(current), store.findLive(current.name(), T0.plusSeconds(1)));
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void answersTheHealthProbeWithARoundTrip(TestDatabase database) throws Exception {
        try (PostgresMetadataStore store = database.runtimeStore()) {
            store.healthProbe().probe();
        }
        PostgresSettings nowhere = PostgresSettings.of("127.0.0.1", 1, "any").withTimeouts(SHORT, Duration.ofSeconds(2), SHORT);
        try (PostgresMetadataStore down = PostgresMetadataStore.create(nowhere, PostgresCredentials.fixed(database.runtime()))) {
            assertThrows(DependencyFailureException.class, () -> down.healthProbe().probe());
        }
    }

    /** What a cold start does side by side: the connection opened without jOOQ, jOOQ's lookup loaded without a database. */
    @Test
    void opensItsConnectionWhenAskedAndPrimesTheLookupWithoutADatabase() {
        TestDatabase database = TestDatabase.current();
        database.killRuntimeConnections();
        try (SingleConnection connection = new SingleConnection(
                database.settings().withValidateAfterIdle(NEVER_IDLE_ENOUGH), PostgresCredentials.fixed(database.runtime()))) {
            connection.open();
            connection.open();

            assertEquals(1, database.killRuntimeConnections(), "one connection, opened by the first connect");
        }
        PostgresSettings nowhere = PostgresSettings.of("127.0.0.1", 1, "nothing").withTimeouts(SHORT, SHORT.multipliedBy(2), SHORT);
        PostgresMetadataStore.primeLookup(nowhere);
        assertThrows(DependencyFailureException.class, () -> PostgresMetadataStore.create(nowhere,
                PostgresCredentials.fixed(new Credentials("nobody", "irrelevant"))).healthProbe().probe(),
                "the settings the priming ignored lead nowhere");
    }

    private static PostgresMetadataStore storeWithoutIdleValidation(TestDatabase database) {
        return PostgresMetadataStore.create(database.settings().withValidateAfterIdle(NEVER_IDLE_ENOUGH),
                PostgresCredentials.fixed(database.runtime()));
    }

    private static void assertFailsWithin(Duration limit, PostgresSettings settings) {
        Credentials anyone = new Credentials("nobody", "irrelevant");
        try (PostgresMetadataStore store = PostgresMetadataStore.create(settings, PostgresCredentials.fixed(anyone))) {
            long start = System.nanoTime();
            DependencyFailureException failure = assertThrows(DependencyFailureException.class,
                    () -> store.findLive(file("a.txt", T0).name(), T0));
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertEquals("database", failure.dependency());
            assertTrue(took.compareTo(limit) < 0, "took " + took);
        }
    }

    /** A secret that was rotated: the cached value is stale, a fetch returns the new one. */
    private static final class RotatedCredentials implements PostgresCredentials {
        private final Credentials cached;
        private final Credentials fetched;
        private final AtomicInteger refreshes = new AtomicInteger();

        RotatedCredentials(Credentials cached, Credentials fetched) {
            this.cached = cached;
            this.fetched = fetched;
        }

        @Override
        public Credentials current() {
            return refreshes.get() == 0 ? cached : fetched;
        }

        @Override
        public Credentials refresh() {
            refreshes.incrementAndGet();
            return fetched;
        }
    }
}
