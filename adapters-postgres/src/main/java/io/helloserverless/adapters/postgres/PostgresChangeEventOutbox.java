package io.helloserverless.adapters.postgres;

import io.helloserverless.core.domain.ETag;
import io.helloserverless.core.domain.ChangeEvent;
import io.helloserverless.core.domain.FileName;
import io.helloserverless.core.port.ChangeEventOutbox;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import org.jooq.DSLContext;
import org.jooq.Record;
import org.jooq.exception.DataAccessException;
import org.jooq.impl.DSL;

/**
 * The outbox table {@code change_events}, which {@link PostgresMetadataStore} fills. A lease is
 * one statement that picks the due rows {@code FOR UPDATE SKIP LOCKED} and stamps them with the
 * lease's end, so two dispatchers never get the same event, and the event of a dispatcher that
 * died is due again once its lease ran out. A delivered event's row is deleted; a parked one is
 * kept, flagged. Nothing is retried here: the dispatcher runs again a minute later.
 */
public final class PostgresChangeEventOutbox implements ChangeEventOutbox, AutoCloseable {

    private static final String LEASE = """
            update change_events set leased_until = {0}
            where sequence in (
                select c.sequence from change_events c
                where not c.parked
                  and (c.next_attempt_at is null or c.next_attempt_at <= {1})
                  and (c.leased_until is null or c.leased_until <= {1})
                  and not exists (select 1 from change_events earlier
                                  where earlier.file_name = c.file_name
                                    and earlier.sequence < c.sequence
                                    and not earlier.parked)
                order by c.sequence
                limit {2}
                for update skip locked)
            returning id, type, file_name, etag, version, size, sha256, occurred_at, sequence, failed_attempts""";

    private final SingleConnection connection;
    private final DSLContext sql;

    public PostgresChangeEventOutbox(SingleConnection connection) {
        this.connection = Objects.requireNonNull(connection, "connection");
        this.sql = Sql.on(connection);
    }

    /** An outbox on its own connection, opened on first use. */
    public static PostgresChangeEventOutbox create(PostgresSettings settings, PostgresCredentials credentials) {
        return new PostgresChangeEventOutbox(new SingleConnection(settings, credentials));
    }

    @Override
    public List<Leased> lease(Instant now, int limit, Duration leaseFor) {
        return run("lease events", db -> db.fetch(LEASE, timestamp(now.plus(leaseFor)), timestamp(now), DSL.val(limit))
                .map(PostgresChangeEventOutbox::toLeased).stream()
                .sorted(Comparator.comparingLong(leased -> leased.event().sequence()))
                .toList());
    }

    @Override
    public void markDelivered(UUID eventId) {
        run("mark an event delivered", db -> db.execute("delete from change_events where id = {0}", DSL.val(eventId)));
    }

    @Override
    public void recordFailedAttempt(UUID eventId, Instant nextAttemptAt) {
        run("record a failed delivery", db -> db.execute("""
                update change_events
                set failed_attempts = failed_attempts + 1, next_attempt_at = {0}, leased_until = null
                where id = {1}""", timestamp(nextAttemptAt), DSL.val(eventId)));
    }

    @Override
    public void park(UUID eventId) {
        run("park an event", db -> db.execute(
                "update change_events set parked = true, leased_until = null where id = {0}", DSL.val(eventId)));
    }

    @Override
    public long countParked() {
        return run("count parked events", db -> db.fetchSingle("select count(*) from change_events where parked")
                .get(0, Long.class));
    }

    @Override
    public Optional<Instant> oldestPending() {
        // The earliest pending sequence, through the partial index of pending events.
        return run("find the oldest pending event", db -> db.fetchOptional(
                "select occurred_at from change_events where not parked order by sequence limit 1")
                .map(row -> row.get(0, java.time.OffsetDateTime.class).toInstant()));
    }

    @Override
    public void close() {
        connection.close();
    }

    private static org.jooq.Param<OffsetDateTime> timestamp(Instant instant) {
        return DSL.val(instant.atOffset(ZoneOffset.UTC));
    }

    private static Leased toLeased(Record row) {
        ChangeEvent event = new ChangeEvent(
                row.get("id", UUID.class),
                ChangeEvent.Type.ofWireName(row.get("type", String.class)),
                FileName.of(row.get("file_name", String.class)),
                new ETag(row.get("etag", String.class)),
                row.get("version", Long.class),
                row.get("size", Long.class),
                row.get("sha256", String.class),
                row.get("occurred_at", OffsetDateTime.class).toInstant(),
                row.get("sequence", Long.class));
        return new Leased(event, row.get("failed_attempts", Integer.class));
    }

    private <T> T run(String operation, Function<DSLContext, T> work) {
        try {
            return work.apply(sql);
        } catch (DataAccessException e) {
            if (DatabaseFailures.lostTheConnection(e)) {
                connection.discard();
            }
            throw DatabaseFailures.translate(operation, e);
        }
    }
}
