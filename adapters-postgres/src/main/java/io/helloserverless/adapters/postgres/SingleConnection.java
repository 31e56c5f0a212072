package io.helloserverless.adapters.postgres;

import java.sql.Connection;
import java.sql.SQLException;
import org.jooq.ConnectionProvider;
import org.jooq.exception.DataAccessException;

/**
 * The one database connection of an execution environment (DESIGN section 5). It is opened on
 * first use, not at construction, so nothing connected is captured in a SnapStart snapshot;
 * checked with a round trip before use when it has been idle (the environment may have been
 * frozen long enough for the server or a NAT to drop it); and replaced when it broke. After
 * {@link #close()} the next use opens a new one, so a SnapStart {@code beforeCheckpoint} hook
 * can close it.
 *
 * <p>Safe to share between threads, which then take turns on the connection; an execution
 * environment serves one request at a time anyway.
 */
public final class SingleConnection implements ConnectionProvider, AutoCloseable {

    private final Connector connector;
    private final long validateAfterIdleNanos;
    private final int validationTimeoutSeconds;
    private Connection connection;
    private long lastReleasedNanos;

    public SingleConnection(PostgresSettings settings, PostgresCredentials credentials) {
        this.connector = new Connector(settings, credentials);
        this.validateAfterIdleNanos = settings.validateAfterIdle().toNanos();
        this.validationTimeoutSeconds = (int) settings.connectTimeout().toSeconds();
    }

    @Override
    public synchronized Connection acquire() {
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
        }
    }

    @Override
    public synchronized void release(Connection released) {
        lastReleasedNanos = System.nanoTime();
    }

    /** Drops the connection after it broke, so that the next use opens a new one. */
    synchronized void discard() {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (SQLException e) {
            // Closing a broken connection may fail; it is dropped all the same.
        }
        connection = null;
    }

    @Override
    public void close() {
        discard();
    }

    private boolean idleTooLong() {
        return System.nanoTime() - lastReleasedNanos >= validateAfterIdleNanos;
    }
}
