package io.helloserverless.adapters.postgres;

import io.helloserverless.core.port.ChangeEventOutbox;
import io.helloserverless.core.port.MetadataStore;
import io.helloserverless.core.testing.ChangeEventOutboxContract;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The outbox port's contract on a real server, connected as the runtime role after the migrator ran. */
abstract class PostgresChangeEventOutboxContract extends ChangeEventOutboxContract {

    private final Map<Thread, PostgresMetadataStore> stores = new ConcurrentHashMap<>();
    private final Map<Thread, PostgresChangeEventOutbox> outboxes = new ConcurrentHashMap<>();

    abstract TestDatabase database();

    @BeforeEach
    void startWithAnEmptyTable() {
        database().emptyFilesTable();
    }

    @AfterEach
    void closeConnections() {
        stores.values().forEach(PostgresMetadataStore::close);
        stores.clear();
        outboxes.values().forEach(PostgresChangeEventOutbox::close);
        outboxes.clear();
    }

    /**
     * One store, hence one connection, per thread, as each execution environment has its own:
     * racing writers then race inside PostgreSQL instead of taking turns on one connection.
     */
    @Override
    protected MetadataStore store() {
        return stores.computeIfAbsent(Thread.currentThread(), thread -> database().runtimeStore());
    }

    @Override
    protected ChangeEventOutbox outbox() {
        return outboxes.computeIfAbsent(Thread.currentThread(), thread -> database().runtimeOutbox());
    }
}
