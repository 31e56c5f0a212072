package io.helloserverless.adapters.s3;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.ContentPolicy;
import io.helloserverless.core.domain.TextContent;
import io.helloserverless.core.port.BlobStore;
import io.helloserverless.core.testing.BlobStoreContract;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

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

    @Test
    void listsNoObjectThatIsNotABlobKeyAndPagesOnPastThem() throws Exception {
        BlobKey ours = BlobKeys.newKey();
        store.put(ours, TextContent.ofUtf8("ours", ContentPolicy.defaults()));
        try (S3Client raw = S3BlobStore.newClient(server.settings(), server.credentials())) {
            for (String foreign : List.of("files/README.txt", "files/0-not-a-key", "other/" + ours.value())) {
                raw.putObject(r -> r.bucket(S3ProxyServer.BUCKET).key(foreign), RequestBody.fromString("foreign"));
            }
        }

        List<String> walked = new ArrayList<>();
        Optional<BlobKey> cursor = Optional.empty();
        List<BlobStore.StoredBlob> page;
        do {
            page = store.list(cursor, 1);
            page.forEach(blob -> walked.add(blob.key().value()));
            cursor = page.isEmpty() ? cursor : Optional.of(page.getLast().key());
        } while (page.size() == 1);

        assertTrue(walked.contains(ours.value()), walked.toString());
        assertTrue(walked.stream().allMatch(BlobKey::isBlobKey), walked.toString());
    }
}
