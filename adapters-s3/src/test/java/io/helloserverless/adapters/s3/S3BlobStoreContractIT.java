package io.helloserverless.adapters.s3;

import io.helloserverless.core.port.BlobStore;
import io.helloserverless.core.testing.BlobStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

class S3BlobStoreContractIT extends BlobStoreContract {

    @TempDir
    static Path folder;
    private static S3ProxyServer server;
    private static S3BlobStore store;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.start(folder);
        store = S3BlobStore.create(server.settings(), server.credentials());
    }

    @AfterAll
    static void stopServer() throws Exception {
        server.stop();
    }

    @Override
    protected BlobStore store() {
        return store;
    }
}
