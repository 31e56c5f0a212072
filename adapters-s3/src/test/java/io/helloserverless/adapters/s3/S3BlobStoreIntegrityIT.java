package io.helloserverless.adapters.s3;

import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.DependencyFailureException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ChecksumMode;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** What is stored besides the bytes, and what a read does with a blob changed behind its back. */
class S3BlobStoreIntegrityIT {

    private static final String ORIGINAL = "the original text\n";

    @TempDir
    static Path folder;
    private static S3ProxyServer server;
    private static S3Client raw;
    private static S3BlobStore store;

    @BeforeAll
    static void startServer() throws Exception {
        server = S3ProxyServer.start(folder);
        raw = S3BlobStore.newClient(server.settings(), server.credentials());
        store = new S3BlobStore(raw, S3ProxyServer.BUCKET);
    }

    @AfterAll
    static void stopServer() throws Exception {
        raw.close();
        server.stop();
    }

    @Test
    void storesPlainUtf8TextWithItsSha256InMetadataAndAsTheS3Checksum() throws Exception {
        BlobKey key = BlobKeys.newKey();

        store.put(key, text(ORIGINAL));

        byte[] digest = MessageDigest.getInstance("SHA-256").digest(ORIGINAL.getBytes(StandardCharsets.UTF_8));
        HeadObjectResponse head = raw.headObject(request -> request
                .bucket(S3ProxyServer.BUCKET).key(key.value()).checksumMode(ChecksumMode.ENABLED));
        // s3proxy's Jetty drops the space after the semicolon; S3 keeps the header as sent.
        assertEquals("text/plain;charset=utf-8", head.contentType().replace(" ", ""));
        assertEquals(HexFormat.of().formatHex(digest), head.metadata().get("sha256"));
        assertEquals(Base64.getEncoder().encodeToString(digest), head.checksumSHA256());
    }

    @Test
    void reportsABlobOverwrittenWithOtherBytesInsteadOfReturningThem() {
        BlobKey key = BlobKeys.newKey();
        store.put(key, text(ORIGINAL));
        Map<String, String> metadata = raw.headObject(request -> request
                .bucket(S3ProxyServer.BUCKET).key(key.value())).metadata();

        raw.putObject(request -> request.bucket(S3ProxyServer.BUCKET).key(key.value()).metadata(metadata),
                RequestBody.fromString("the altered text\n"));

        DependencyFailureException failure = assertThrows(DependencyFailureException.class, () -> store.get(key));
        assertEquals("blob store", failure.dependency());
    }

    @Test
    void reportsABlobThatCarriesNoChecksum() {
        BlobKey key = BlobKeys.newKey();

        raw.putObject(request -> request.bucket(S3ProxyServer.BUCKET).key(key.value()),
                RequestBody.fromString(ORIGINAL));

        assertThrows(DependencyFailureException.class, () -> store.get(key));
    }
}
