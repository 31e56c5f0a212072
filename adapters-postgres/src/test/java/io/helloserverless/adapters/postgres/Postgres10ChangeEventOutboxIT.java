package io.helloserverless.adapters.postgres;

class Postgres10ChangeEventOutboxIT extends PostgresChangeEventOutboxContract {

    @Override
    TestDatabase database() {
        return TestDatabase.postgres10();
    }
}
