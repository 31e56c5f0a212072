package io.helloserverless.adapters.postgres;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A test's stores and outboxes, connected as the runtime role: one of each, hence one
 * connection, per thread, as each execution environment has its own, so that racing writers race
 * inside PostgreSQL instead of taking turns on one connection.
 */
final class RuntimeConnections {

    private final TestDatabase database;
    private final Map<Thread, PostgresMetadataStore> stores = new ConcurrentHashMap<>();
    private final Map<Thread, PostgresChangeEventOutbox> outboxes = new ConcurrentHashMap<>();

    RuntimeConnections(TestDatabase database) {
        this.database = database;
    }

    PostgresMetadataStore store() {
        return stores.computeIfAbsent(Thread.currentThread(), thread -> database.runtimeStore());
    }

    PostgresChangeEventOutbox outbox() {
        return outboxes.computeIfAbsent(Thread.currentThread(), thread -> database.runtimeOutbox());
    }

    void close() {
        stores.values().forEach(PostgresMetadataStore::close);
        stores.clear();
        outboxes.values().forEach(PostgresChangeEventOutbox::close);
        outboxes.clear();
    }
}
