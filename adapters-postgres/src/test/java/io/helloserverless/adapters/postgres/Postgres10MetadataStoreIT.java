package io.helloserverless.adapters.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class Postgres10MetadataStoreIT extends PostgresMetadataStoreContract {

    @Override
    TestDatabase database() {
        return TestDatabase.postgres10();
    }

    /** The contract above only proves PostgreSQL 10 compatibility if the server really is 10. */
    @Test
    void runsOnPostgreSql10() {
        String versionNumber = database().asOwner(db -> db.fetchSingle("show server_version_num").get(0, String.class));

        assertEquals("10", versionNumber.substring(0, 2), "server_version_num " + versionNumber);
    }
}
