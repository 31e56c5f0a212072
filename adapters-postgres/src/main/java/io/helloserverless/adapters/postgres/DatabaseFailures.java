package io.helloserverless.adapters.postgres;

import io.helloserverless.core.domain.DependencyFailureException;
import java.net.SocketTimeoutException;
import java.sql.SQLException;
import java.util.Set;
import org.jooq.exception.DataAccessException;

/**
 * Reads the SQLState of a failure: whether the connection is lost, whether retrying is safe,
 * and what to tell the core. The library exception is not passed on as the cause, because its
 * message can hold SQL, the values of a row or a role name.
 */
final class DatabaseFailures {

    static final String DEPENDENCY = "database";

    /** The server ended the session (administrator, crash, shutdown): whatever was running was rolled back. */
    private static final Set<String> SESSION_TERMINATED = Set.of("57P01", "57P02", "57P03");

    /** The connection is gone: it no longer exists, or the link failed while in use. */
    private static final Set<String> CONNECTION_LOST = Set.of("08003", "08006", "08007");

    private DatabaseFailures() {
    }

    static boolean isAuthenticationFailure(SQLException e) {
        return "28P01".equals(e.getSQLState()) || "28000".equals(e.getSQLState());
    }

    /** The connection that was in use cannot be used again. */
    static boolean lostTheConnection(DataAccessException e) {
        String state = e.sqlState();
        return CONNECTION_LOST.contains(state) || SESSION_TERMINATED.contains(state);
    }

    /**
     * A read may run again on a new connection, unless it already spent a whole socket timeout:
     * waiting twice would outlast the caller's deadline.
     */
    static boolean readMayBeRetried(DataAccessException e) {
        return lostTheConnection(e) && !timedOut(e);
    }

    /**
     * A write may run again only if it certainly did not commit: when the server says it ended
     * the session. After a broken link the outcome is unknown, and the caller must find out.
     */
    static boolean writeMayBeRetried(DataAccessException e) {
        return SESSION_TERMINATED.contains(e.sqlState());
    }

    static DependencyFailureException translate(String operation, DataAccessException e) {
        String state = e.sqlState();
        return new DependencyFailureException(DEPENDENCY,
                operation + " failed: " + describe(state, e) + " (SQLState " + state + ")");
    }

    private static String describe(String state, DataAccessException e) {
        if (timedOut(e)) {
            return "no answer within the socket timeout";
        }
        if ("57014".equals(state)) {
            return "statement timed out";
        }
        if (state.startsWith("28")) {
            return "credentials refused";
        }
        if (state.startsWith("08")) {
            return "connection failed";
        }
        if (state.startsWith("57P")) {
            return "the server ended the session";
        }
        if ("42501".equals(state)) {
            return "insufficient privilege";
        }
        return "database error";
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SocketTimeoutException) {
                return true;
            }
        }
        return false;
    }
}
