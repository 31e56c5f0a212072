package io.helloserverless.adapters.postgres;

import java.sql.Connection;
import org.jooq.DSLContext;
import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

/** jOOQ for PostgreSQL on one connection, without the logo and tip of the day jOOQ prints on first use. */
final class Sql {

    static {
        // Only where the embedding service has not chosen otherwise.
        if (System.getProperty("org.jooq.no-logo") == null) {
            System.setProperty("org.jooq.no-logo", "true");
        }
        if (System.getProperty("org.jooq.no-tips") == null) {
            System.setProperty("org.jooq.no-tips", "true");
        }
    }

    private Sql() {
    }

    static DSLContext on(SingleConnection connection) {
        return DSL.using(connection, SQLDialect.POSTGRES);
    }

    /** On a JDBC connection of the caller's (priming's, answered inside the JVM). */
    static DSLContext on(Connection connection) {
        return DSL.using(connection, SQLDialect.POSTGRES);
    }

    /** On no connection: for building records and results. */
    static DSLContext detached() {
        return DSL.using(SQLDialect.POSTGRES);
    }
}
