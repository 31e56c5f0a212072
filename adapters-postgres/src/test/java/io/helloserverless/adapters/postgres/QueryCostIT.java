package io.helloserverless.adapters.postgres;

import static io.helloserverless.core.testing.TestFiles.T0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.port.MetadataStore;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.jooq.DSLContext;
import org.jooq.Query;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * On a table of 100,000 files, a deep page costs what the first one does (the listing is a
 * range scan of the primary key that starts at the cursor), the purge reads only expired
 * rows, and the orphan collection's reference check of a page of blob keys reads their index. Timings are printed, not asserted (this machine is shared); the query plans are.
 */
class QueryCostIT {

    private static final int ROWS = 100_000;
    private static final int LIMIT = 100;
    private static final int REPETITIONS = 25;
    private static final String NAME_FORMAT = "file-%06d.txt";
    private static final DSLContext RENDERER = DSL.using(SQLDialect.POSTGRES);
    private static final Set<TestDatabase> FILLED = new HashSet<>();

    static Stream<Named<TestDatabase>> servers() {
        return Stream.of(
                Named.of("PostgreSQL 10", TestDatabase.postgres10()),
                Named.of("current PostgreSQL", TestDatabase.current()));
    }

    @AfterAll
    static void emptyTheTables() {
        FILLED.forEach(TestDatabase::emptyFilesTable);
        FILLED.clear();
    }

    @ParameterizedTest
    @MethodSource("servers")
    void servesPageOneThousandAsFastAsPageOne(TestDatabase database) {
        fillOnce(database);
        Optional<FileName> beforePage1000 = Optional.of(name(999 * LIMIT));
        try (PostgresMetadataStore store = database.runtimeStore()) {
            Supplier<List<FileMetadata>> page1 = () -> store.listLive("", Optional.empty(), LIMIT, T0);
            Supplier<List<FileMetadata>> page1000 = () -> store.listLive("", beforePage1000, LIMIT, T0);

            assertEquals(name(1), page1.get().getFirst().name());
            assertEquals(name(999 * LIMIT + 1), page1000.get().getFirst().name());
            assertEquals(name(ROWS), page1000.get().getLast().name());

            Duration first = median(page1);
            Duration deep = median(page1000);
            System.out.printf("[%s] %,d rows, limit %d: page 1 median %.3f ms, page 1000 median %.3f ms (%d runs)%n",
                    database.label(), ROWS, LIMIT, first.toNanos() / 1e6, deep.toNanos() / 1e6, REPETITIONS);
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void plansADeepPageAsARangeScanOfThePrimaryKey(TestDatabase database) {
        fillOnce(database);
        try (PostgresMetadataStore store = database.runtimeStore()) {
            String plan = explain(database, store.listLiveQuery(RENDERER, "", Optional.of(name(99_900)), LIMIT, T0));
            String prefixPlan = explain(database,
                    store.listLiveQuery(RENDERER, "file-09", Optional.of(name(99_900)), LIMIT, T0));

            assertTrue(plan.contains("Index Scan using files_pkey"), plan);
            assertFalse(plan.contains("Seq Scan") || plan.contains("Sort"), plan);
            assertTrue(prefixPlan.contains("Index Scan using files_pkey"), prefixPlan);
            assertFalse(prefixPlan.contains("Seq Scan") || prefixPlan.contains("Sort"), prefixPlan);
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void plansThePurgeAsAScanOfTheExpiryIndex(TestDatabase database) {
        fillOnce(database);
        try (PostgresMetadataStore store = database.runtimeStore()) {
            String plan = explain(database, store.purgeStatement(RENDERER, T0, 100));

            assertTrue(plan.contains("Index Scan using files_expires_at_idx"), plan);
            assertFalse(plan.contains("Seq Scan"), plan);
        }
    }

    @ParameterizedTest
    @MethodSource("servers")
    void checksAPageOfBlobKeysThroughTheirIndex(TestDatabase database) throws Exception {
        fillOnce(database);
        List<BlobKey> keys = new java.util.ArrayList<>();
        java.security.MessageDigest md5 = java.security.MessageDigest.getInstance("MD5");
        for (int i = 1; i <= MetadataStore.MAX_BLOB_KEYS_PER_CHECK; i++) {
            // Every other one the key of a row ('files/' || md5(i)), the rest of none.
            String seed = i % 2 == 0 ? String.valueOf(i) : "none-" + i;
            keys.add(new BlobKey("files/" + java.util.HexFormat.of().formatHex(
                    md5.digest(seed.getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
        }
        try (PostgresMetadataStore store = database.runtimeStore()) {
            // Probes of the index, whatever the planner prefers on a table this small (on PostgreSQL
            // 14+ it hashes the array and scans 100,000 rows instead, which costs about as much).
            String plan = explainWithoutSeqScan(database, store.referencedBlobsQuery(RENDERER, keys));

            assertTrue(plan.contains("files_blob_key_idx"), plan);
            assertFalse(plan.contains("Seq Scan"), plan);
            System.out.printf("[%s] reference check as planned: %s%n", database.label(),
                    explain(database, store.referencedBlobsQuery(RENDERER, keys)).lines().findFirst().orElse(""));
            assertEquals(MetadataStore.MAX_BLOB_KEYS_PER_CHECK / 2, store.referencedBlobs(keys).size());
            Duration check = median(() -> store.referencedBlobs(keys));
            System.out.printf("[%s] %,d rows: reference check of %,d blob keys median %.3f ms (%d runs)%n",
                    database.label(), ROWS, keys.size(), check.toNanos() / 1e6, REPETITIONS);
        }
    }

    /** The plan when a sequential scan is ruled out: whether an index can serve the statement at all. */
    private static String explainWithoutSeqScan(TestDatabase database, Query statement) {
        String sql = RENDERER.renderInlined(statement);
        List<String> lines = database.asOwner(db -> db.transactionResult(tx -> {
            tx.dsl().execute("set local enable_seqscan = off");
            return tx.dsl().fetch("explain " + sql).into(String.class);
        }));
        return String.join("\n", lines);
    }

    /** Explained with the values inlined, as the planner sees them on the first executions. */
    private static String explain(TestDatabase database, Query statement) {
        String sql = RENDERER.renderInlined(statement);
        List<String> lines = database.asOwner(db -> db.fetch("explain " + sql).into(String.class));
        return String.join("\n", lines);
    }

    private static FileName name(int position) {
        return FileName.of(NAME_FORMAT.formatted(position));
    }

    /** 100,000 files written at T0, named in the order of their position, then analysed. */
    private static void fillOnce(TestDatabase database) {
        if (!FILLED.add(database)) {
            return;
        }
        database.emptyFilesTable();
        database.asOwner(db -> {
            db.execute("""
                    insert into files
                    select 'file-' || lpad(i::text, 6, '0') || '.txt', 10, repeat('a', 64), md5(i::text), 1,
                           {0}::timestamptz, {0}::timestamptz, {0}::timestamptz + interval '30 days',
                           'files/' || md5(i::text)
                    from generate_series(1, {1}) as i""",
                    DSL.inline(T0.toString()), DSL.inline(ROWS));
            return db.execute("analyze files");
        });
    }

    private static Duration median(Supplier<?> page) {
        for (int i = 0; i < 5; i++) {
            page.get();
        }
        long[] nanos = new long[REPETITIONS];
        for (int i = 0; i < REPETITIONS; i++) {
            long start = System.nanoTime();
            page.get();
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        return Duration.ofNanos(nanos[REPETITIONS / 2]);
    }
}
