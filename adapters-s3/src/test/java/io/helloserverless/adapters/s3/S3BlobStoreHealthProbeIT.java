package io.helloserverless.adapters.s3;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.helloserverless.core.domain.DependencyFailureException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

class S3BlobStoreHealthProbeIT {

    @TempDir
    static Path folder;
    private static S3ProxyServer server;
    private static S3Client client;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.start(folder);
        client = S3BlobStore.newClient(server.settings(), server.credentials());
    }

    @AfterAll
    static void stopServer() throws Exception {
        client.close();
        server.stop();
    }

    @Test
    void passesWhenTheBucketAnswers() {
        assertDoesNotThrow(() -> new S3BlobStore(client, S3ProxyServer.BUCKET).healthProbe().probe());
    }

    @Test
    void failsWhenTheBucketDoesNotExist() {
        assertThrows(DependencyFailureException.class,
                () -> new S3BlobStore(client, "no-such-bucket").healthProbe().probe());
    }
}
