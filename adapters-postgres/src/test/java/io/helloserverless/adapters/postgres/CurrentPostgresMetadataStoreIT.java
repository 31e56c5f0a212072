package io.helloserverless.adapters.postgres;

class CurrentPostgresMetadataStoreIT extends PostgresMetadataStoreContract {

    @Override
    TestDatabase database() {
        return TestDatabase.current();
    }
}
