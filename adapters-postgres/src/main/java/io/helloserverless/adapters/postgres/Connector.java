package io.helloserverless.adapters.postgres;

import io.helloserverless.adapters.postgres.PostgresCredentials.Credentials;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/** Opens connections to one database as one role, picking up rotated credentials. */
final class Connector {

    private final PostgresSettings settings;
    private final PostgresCredentials credentials;

    Connector(PostgresSettings settings, PostgresCredentials credentials) {
        this.settings = settings;
        this.credentials = credentials;
    }

    /**
     * A new connection. When the server refuses the current credentials they may have been
     * rotated since they were cached: fetch them again, once, and retry.
     */
    Connection open() throws SQLException {
        try {
            return dataSource(credentials.current()).getConnection();
        } catch (SQLException e) {
            if (!DatabaseFailures.isAuthenticationFailure(e)) {
                throw e;
            }
        }
        return dataSource(credentials.refresh()).getConnection();
    }

    /** The same connections as a {@link DataSource}, for libraries that open their own (Flyway). */
    DataSource asDataSource() {
        return new PGSimpleDataSource() {
            @Override
            public Connection getConnection() throws SQLException {
                return open();
            }
        };
    }

    private PGSimpleDataSource dataSource(Credentials role) {
        PGSimpleDataSource source = new PGSimpleDataSource();
        source.setServerNames(new String[] {settings.host()});
        source.setPortNumbers(new int[] {settings.port()});
        source.setDatabaseName(settings.database());
        source.setUser(role.user());
        source.setPassword(role.password());
        source.setSslMode(settings.sslMode().value());
        settings.sslRootCert().ifPresent(source::setSslRootCert);
        int connectSeconds = (int) settings.connectTimeout().toSeconds();
        source.setConnectTimeout(connectSeconds);
        source.setLoginTimeout(connectSeconds);
        source.setSocketTimeout((int) settings.socketTimeout().toSeconds());
        source.setTcpKeepAlive(true);
        source.setApplicationName(settings.applicationName());
        source.setOptions("-c statement_timeout=" + settings.statementTimeout().toMillis());
        return source;
    }
}
