package io.helloserverless.adapters.postgres;

import io.helloserverless.core.port.ChangeEventOutbox;
import io.helloserverless.core.port.MetadataStore;
import io.helloserverless.core.testing.ChangeEventOutboxContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The outbox port's contract on a real server, connected as the runtime role after the migrator ran. */
abstract class PostgresChangeEventOutboxContract extends ChangeEventOutboxContract {

    private RuntimeConnections connections;

    abstract TestDatabase database();

    @BeforeEach
    void startWithAnEmptyTable() {
        database().emptyFilesTable();
        connections = new RuntimeConnections(database());
    }

    @AfterEach
    void closeConnections() {
        connections.close();
    }

    @Override
    protected MetadataStore store() {
        return connections.store();
    }

    @Override
    protected ChangeEventOutbox outbox() {
        return connections.outbox();
    }
}
