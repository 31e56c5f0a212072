package io.helloserverless.adapters.postgres;

class CurrentPostgresChangeEventOutboxIT extends PostgresChangeEventOutboxContract {

    @Override
    TestDatabase database() {
        return TestDatabase.current();
    }
}
