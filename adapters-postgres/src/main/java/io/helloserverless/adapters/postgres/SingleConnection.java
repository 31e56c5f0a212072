package io.helloserverless.adapters.postgres;

import io.helloserverless.core.domain.DependencyFailureException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.jooq.ConnectionProvider;
import org.jooq.exception.DataAccessException;

/**
 * The one database connection of an execution environment (docs/design.md, section 5.2). It is opened on
 * first use, not at construction, so nothing connected is captured in a SnapStart snapshot;
 * checked with a round trip before use when it has been idle (the environment may have been
 * frozen long enough for the server or a NAT to drop it); and replaced when it broke. After
 * {@link #close()} the next use opens a new one, so a SnapStart {@code beforeCheckpoint} hook
 * can close it.
 *
 * <p>Safe to share between threads, which then take turns on the connection; an execution
 * environment serves one request at a time anyway. Turns are taken with a {@link ReentrantLock},
 * not a monitor: opening or checking the connection is network I/O, and on JDK 21 to 23 a virtual
 * thread blocked in or on a {@code synchronized} block pins its carrier, so a stalled database
 * would stall every virtual thread, health checks included. A thread waits for its turn at most
 * the connect timeout, then fails as the database does, instead of queueing behind a stalled one.
 */
public final class SingleConnection implements ConnectionProvider, AutoCloseable {

    private final Connector connector;
    private final long validateAfterIdleNanos;
    private final int validationTimeoutSeconds;
    private final long turnTimeoutNanos;
    private final ReentrantLock turn = new ReentrantLock();
    private Connection connection;
    private volatile long lastReleasedNanos;

    public SingleConnection(PostgresSettings settings, PostgresCredentials credentials) {
        this.connector = new Connector(settings, credentials);
        this.validateAfterIdleNanos = settings.validateAfterIdle().toNanos();
        this.validationTimeoutSeconds = (int) settings.connectTimeout().toSeconds();
        this.turnTimeoutNanos = settings.connectTimeout().toNanos();
    }

    /**
     * The connection, opened or replaced as needed.
     *
     * @throws DependencyFailureException when another thread has been opening or checking it for
     *     longer than the connect timeout
     */
    @Override
    public Connection acquire() {
        takeTurn();
        try {
            if (connection != null && idleTooLong() && !connection.isValid(validationTimeoutSeconds)) {
                discard();
            }
            if (connection == null) {
                connection = connector.open();
            }
            return connection;
        } catch (SQLException e) {
            throw new DataAccessException("could not connect", e);
        } finally {
            turn.unlock();
        }
    }

    /**
     * Opens the connection now if it is not open: pgjdbc only, so that a cold start can open it
     * before anything has loaded jOOQ ({@link PostgresMetadataStore#primeLookup} does that beside it).
     */
    public void open() {
        release(acquire());
    }

    @Override
    public void release(Connection released) {
        lastReleasedNanos = System.nanoTime();
    }

    /**
     * Drops the connection after it broke, so that the next use opens a new one. Waits for a turn
     * without a bound: whoever holds it is bounded by the connect and socket timeouts.
     */
    void discard() {
        Connection dropped;
        turn.lock();
        try {
            dropped = connection;
            connection = null;
        } finally {
            turn.unlock();
        }
        if (dropped == null) {
            return;
        }
        try {
            dropped.close();
        } catch (SQLException e) {
            // Closing a broken connection may fail; it is dropped all the same.
        }
    }

    @Override
    public void close() {
        discard();
    }

    private void takeTurn() {
        try {
            if (turn.tryLock(turnTimeoutNanos, TimeUnit.NANOSECONDS)) {
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new DependencyFailureException(DatabaseFailures.DEPENDENCY,
                "the connection was busy connecting for longer than the connect timeout");
    }

    private boolean idleTooLong() {
        return System.nanoTime() - lastReleasedNanos >= validateAfterIdleNanos;
    }
}
