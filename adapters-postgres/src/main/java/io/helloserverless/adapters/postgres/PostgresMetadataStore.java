package io.helloserverless.adapters.postgres;

import static io.helloserverless.adapters.postgres.FilesTable.BLOB_KEY;
import static io.helloserverless.adapters.postgres.FilesTable.COLUMNS;
import static io.helloserverless.adapters.postgres.FilesTable.ETAG;
import static io.helloserverless.adapters.postgres.FilesTable.EXPIRES_AT;
import static io.helloserverless.adapters.postgres.FilesTable.FILES;
import static io.helloserverless.adapters.postgres.FilesTable.NAME;
import static io.helloserverless.adapters.postgres.FilesTable.SHA256;
import static io.helloserverless.adapters.postgres.FilesTable.SIZE;
import static io.helloserverless.adapters.postgres.FilesTable.UPDATED_AT;
import static io.helloserverless.adapters.postgres.FilesTable.VERSION;

import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.ChangeEvent;
import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.domain.ETag;
import io.helloserverless.core.domain.FileMetadata;
import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.port.HealthProbe;
import io.helloserverless.core.port.MetadataStore;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jooq.Condition;
import org.jooq.DSLContext;
import org.jooq.DeleteResultStep;
import org.jooq.Field;
import org.jooq.Query;
import org.jooq.Record;
import org.jooq.Record1;
import org.jooq.SelectLimitPercentStep;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;
import org.jooq.tools.jdbc.MockConnection;
import org.jooq.tools.jdbc.MockResult;

/**
 * The metadata of files in the PostgreSQL table {@code files}. Every write is one conditional
 * statement, so the database settles races, that also records the change in the outbox table
 * {@code change_events} (a data-modifying CTE); listings are keyset range scans of the primary key.
 * A connection lost between two calls is replaced, and the call retried once where that cannot
 * apply a write twice. Failures are reported as {@link DependencyFailureException}s.
 */
public final class PostgresMetadataStore implements MetadataStore, AutoCloseable {

    private static final List<Field<?>> EVENT_COLUMNS = List.of(NAME, ETAG, VERSION, SIZE, SHA256, UPDATED_AT);
    private static final String EVENT_INSERT =
            "insert into change_events (type, file_name, etag, version, size, sha256, occurred_at)";

    private final SingleConnection connection;
    private final DSLContext sql;

    public PostgresMetadataStore(SingleConnection connection) {
        this(connection, Sql.on(connection));
    }

    private PostgresMetadataStore(SingleConnection connection, DSLContext sql) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.sql = sql;
    }

    /** A store on its own connection, opened on first use. */
    public static PostgresMetadataStore create(PostgresSettings settings, PostgresCredentials credentials) {
        return new PostgresMetadataStore(new SingleConnection(settings, credentials));
    }

    @Override
    public Optional<FileMetadata> findLive(FileName name, Instant now) {
        return read("find", db -> db.select(COLUMNS).from(FILES)
                .where(NAME.eq(name.value()), EXPIRES_AT.gt(now))
                .fetchOptional(FilesTable::toFile));
    }

    /** Inserts, or takes the place of an expired row of the same name: {@code ON CONFLICT ... WHERE expired}. */
    @Override
    public boolean insert(FileMetadata file) {
        Map<Field<?>, Field<?>> takeOver = new LinkedHashMap<>();
        FilesTable.revisionColumns(file).keySet().forEach(column -> takeOver.put(column, DSL.excluded(column)));
        return write("insert", db -> db.execute(recordingEvent(ChangeEvent.Type.CREATED, "updated_at", db.insertInto(FILES)
                .set(NAME, file.name().value())
                .set(FilesTable.revisionColumns(file))
                .onConflict(NAME)
                .doUpdate()
                .set(takeOver)
                .where(EXPIRES_AT.le(DSL.excluded(UPDATED_AT)))
                .returning(EVENT_COLUMNS)))) == 1;
    }

    @Override
    public boolean replace(FileMetadata current, FileMetadata next) {
        if (!current.name().equals(next.name())) {
            throw new IllegalArgumentException("a revision replaces one of the same name");
        }
        return write("replace", db -> db.execute(recordingEvent(ChangeEvent.Type.UPDATED, "updated_at", db.update(FILES)
                .set(FilesTable.revisionColumns(next))
                .where(sameRevision(current), EXPIRES_AT.gt(next.updatedAt()))
                .returning(EVENT_COLUMNS)))) == 1;
    }

    /** The event's time is the server's clock: the port gives a delete no time of its own. */
    @Override
    public boolean delete(FileMetadata current) {
        return write("delete", db -> db.execute(recordingEvent(ChangeEvent.Type.DELETED,
                "date_trunc('milliseconds', statement_timestamp())",
                db.deleteFrom(FILES).where(sameRevision(current)).returning(EVENT_COLUMNS)))) == 1;
    }

    @Override
    public List<FileMetadata> listLive(String prefix, Optional<FileName> after, int limit, Instant now) {
        return read("list", db -> listLiveQuery(db, prefix, after, limit, now).fetch(FilesTable::toFile));
    }

    /**
     * Deletes a batch of expired rows, oldest first, and returns them. {@code SKIP LOCKED} lets
     * two purges run at once without waiting for each other or a writer.
     */
    @Override
    public List<FileMetadata> purgeExpired(Instant now, int maxFiles) {
        return write("purge", db -> db.resultQuery("""
                with purged as ({0}),
                recorded as (""" + EVENT_INSERT + """
                    select 'expired', name, etag, version, size, sha256, expires_at from purged)
                select * from purged""", purgeStatement(db, now, maxFiles)).coerce(COLUMNS).fetch(FilesTable::toFile));
    }

    /** One lookup of the blob-key index per key: {@code blob_key = any(?)}, the keys bound as one array. */
    @Override
    public Set<BlobKey> referencedBlobs(Collection<BlobKey> keys) {
        if (keys.size() > MAX_BLOB_KEYS_PER_CHECK) {
            throw new IllegalArgumentException("at most " + MAX_BLOB_KEYS_PER_CHECK + " keys at once");
        }
        if (keys.isEmpty()) {
            return Set.of();
        }
        return read("check blob references", db -> referencedBlobsQuery(db, keys)
                .fetchSet(BLOB_KEY).stream().map(BlobKey::new).collect(Collectors.toUnmodifiableSet()));
    }

    /** A {@code select 1} round trip on the store's connection. */
    public HealthProbe healthProbe() {
        return () -> {
            Integer one = read("health check", db -> db.select(DSL.one()).fetchOne(0, Integer.class));
            if (!Integer.valueOf(1).equals(one)) {
                throw new DependencyFailureException(DatabaseFailures.DEPENDENCY, "health check: unexpected answer");
            }
        };
    }

    /**
     * Runs every statement of the store once against a connection that never leaves the JVM
     * (jOOQ's {@link MockConnection}, answering each with one made-up row or one changed row), so
     * that jOOQ's rendering, binding, fetching and the mapping to {@link FileMetadata} are loaded
     * and linked without a database: what a SnapStart checkpoint hook does before the snapshot.
     * Connects nothing, and {@code settings} are only used to build the (never opened) connection.
     */
    public static void prime(PostgresSettings settings) {
        Instant now = Instant.now();
        FileMetadata file = primedFile(now);
        PostgresMetadataStore store = offline(settings, file);
        store.findLive(file.name(), now);
        store.insert(file);
        store.replace(file, file);
        store.delete(file);
        store.listLive("p", Optional.of(file.name()), 10, now);
        store.purgeExpired(now, 10);
        store.referencedBlobs(List.of(file.blobKey()));
    }

    /**
     * Runs the lookup of one file ({@link #findLive}, which reads, updates and deletes start with)
     * against the in-JVM connection: jOOQ's rendering, binding and fetching loaded without a
     * database, so that a cold start can do it while the connection ({@link SingleConnection#open})
     * is still waiting for its login.
     */
    public static void primeLookup(PostgresSettings settings) {
        Instant now = Instant.now();
        FileMetadata file = primedFile(now);
        offline(settings, file).findLive(file.name(), now);
    }

    private static FileMetadata primedFile(Instant now) {
        ETag revision = new ETag("0".repeat(32));
        return new FileMetadata(FileName.of("primed.txt"), 6, "0".repeat(64), revision, 1, now, now,
                now.plusSeconds(60), BlobKey.forRevision(revision));
    }

    /** A store whose statements are answered inside the JVM, each with {@code file}'s row or one changed row. */
    private static PostgresMetadataStore offline(PostgresSettings settings, FileMetadata file) {
        DSLContext rows = Sql.detached();
        org.jooq.Result<Record1<String>> keys = rows.newResult(BLOB_KEY);
        keys.add(rows.newRecord(BLOB_KEY).values(file.blobKey().value()));
        DSLContext offline = Sql.on(new MockConnection(context -> {
            String statement = context.sql().trim().toLowerCase(java.util.Locale.ROOT);
            if (statement.contains("any (") || statement.contains("any(")) {
                return new MockResult[] {new MockResult(1, keys)};
            }
            boolean returnsRows = statement.startsWith("select") || statement.contains("select * from purged");
            return new MockResult[] {returnsRows ? new MockResult(1, FilesTable.row(rows, file)) : new MockResult(1, null)};
        }));
        return new PostgresMetadataStore(
                new SingleConnection(settings, PostgresCredentials.fixed(new PostgresCredentials.Credentials("", ""))), offline);
    }

    /** Closes the store's connection; the next call opens a new one. */
    @Override
    public void close() {
        connection.close();
    }

    /** The listing query: the keyset and prefix bounds on the key, so that the primary key index serves it. */
    SelectLimitPercentStep<Record> listLiveQuery(
            DSLContext db, String prefix, Optional<FileName> after, int limit, Instant now) {
        Condition condition = EXPIRES_AT.gt(now);
        if (!prefix.isEmpty()) {
            condition = condition.and(NAME.ge(prefix));
            Optional<String> upperBound = NamePrefix.upperBound(prefix);
            if (upperBound.isPresent()) {
                condition = condition.and(NAME.lt(upperBound.get()));
            }
        }
        if (after.isPresent()) {
            condition = condition.and(NAME.gt(after.get().value()));
        }
        return db.select(COLUMNS).from(FILES).where(condition).orderBy(NAME).limit(limit);
    }

    /** Which of {@code keys} a row points at, through the index on {@code blob_key}. */
    org.jooq.ResultQuery<Record1<String>> referencedBlobsQuery(DSLContext db, Collection<BlobKey> keys) {
        String[] values = keys.stream().map(BlobKey::value).distinct().toArray(String[]::new);
        return db.select(BLOB_KEY).from(FILES).where(BLOB_KEY.eq(DSL.any(values)));
    }

    /** The purge: a batch picked through the index on the expiry time, deleted and returned. */
    DeleteResultStep<Record> purgeStatement(DSLContext db, Instant now, int maxFiles) {
        return db.deleteFrom(FILES)
                .where(NAME.in(DSL.select(NAME).from(FILES)
                        .where(EXPIRES_AT.le(now))
                        .orderBy(EXPIRES_AT)
                        .limit(maxFiles)
                        .forUpdate()
                        .skipLocked()))
                .returning(COLUMNS);
    }

    /**
     * {@code change}, a write returning {@link #EVENT_COLUMNS} of the rows it changed, in a statement
     * that also records one event per changed row: the event commits with the change or not at all.
     * Executing it counts the events, hence the rows changed.
     */
    private static Query recordingEvent(ChangeEvent.Type type, String occurredAt, Query change) {
        return DSL.query("with changed as ({0}) " + EVENT_INSERT + " select '" + type.wireName()
                + "', name, etag, version, size, sha256, " + occurredAt + " from changed", change);
    }

    private static Condition sameRevision(FileMetadata revision) {
        return NAME.eq(revision.name().value())
                .and(VERSION.eq(revision.version()))
                .and(ETAG.eq(revision.etag().id()));
    }

    private <T> T read(String operation, Function<DSLContext, T> query) {
        return run(operation, query, DatabaseFailures::readMayBeRetried);
    }

    private <T> T write(String operation, Function<DSLContext, T> statement) {
        return run(operation, statement, DatabaseFailures::writeMayBeRetried);
    }

    /**
     * Runs {@code work}; if the connection turns out to be lost, drops it and, where
     * {@code retryable} says that running the work again cannot apply it twice, runs it once
     * more on a new connection.
     */
    private <T> T run(String operation, Function<DSLContext, T> work, Predicate<DataAccessException> retryable) {
        try {
            return work.apply(sql);
        } catch (DataAccessException first) {
            if (!DatabaseFailures.lostTheConnection(first)) {
                throw DatabaseFailures.translate(operation, first);
            }
            connection.discard();
            if (!retryable.test(first)) {
                throw DatabaseFailures.translate(operation, first);
            }
        }
        try {
            return work.apply(sql);
        } catch (DataAccessException second) {
            if (DatabaseFailures.lostTheConnection(second)) {
                connection.discard();
            }
            throw DatabaseFailures.translate(operation, second);
        }
    }
}
