package io.helloserverless.local;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * End to end over real HTTPS: the laptop server as {@code ./dev run} starts it (embedded
 * PostgreSQL and S3, in-process cache), driven by the JDK's HTTP client through {@link RestApiSuite}.
 */
class LocalServerIT extends RestApiSuite {

    private Path data;
    private LocalServer server;

    @BeforeAll
    void start() throws Exception {
        data = Files.createTempDirectory("hs-local-it");
        server = LocalServer.start(LocalOptions.parse(new String[] {"--port=0", "--data-dir=" + data}, Map.of()));
        client = client("TLSv1.2", "TLSv1.3");
    }

    @AfterAll
    void stop() throws Exception {
        server.close();
    }

    @Override
    protected int port() {
        return server.port();
    }

    @Override
    protected Path trustedCertificate() {
        return server.certificate();
    }

    /** TLS 1.2 with forward secrecy and an AEAD cipher only: a client offering CBC suites alone is refused. */
    @Test
    void refusesATls12ClientOfferingOnlyCbcSuites() throws Exception {
        HttpRequest health = HttpRequest.newBuilder(uri("/v1/health")).build();
        HttpClient cbc = client(new String[] {"TLSv1.2"}, new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"});
        HttpClient gcm = client(new String[] {"TLSv1.2"}, new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});

        SSLHandshakeException refused = assertThrows(SSLHandshakeException.class,
                () -> cbc.send(health, BodyHandlers.discarding()));
        assertTrue(refused.getMessage().contains("handshake_failure"), "the server refused: " + refused.getMessage());
        assertEquals(200, gcm.send(health, BodyHandlers.discarding()).statusCode());
    }

    @Test
    void refusesATls11Client() throws Exception {
        TlsProbe.Answer tls11 = TlsProbe.hello(server.port(), 2);
        TlsProbe.Answer tls12 = TlsProbe.hello(server.port(), 3);

        assertEquals(TlsProbe.ALERT, tls11.recordType());
        assertEquals(TlsProbe.PROTOCOL_VERSION_ALERT, tls11.alertDescription());
        assertEquals(TlsProbe.HANDSHAKE, tls12.recordType(), "the same hello as TLS 1.2 is answered, so only the version was refused");
    }

    /**
     * The purge runs soon after start: an orphan blob older than the grace period (as a write
     * whose commit failed leaves one) goes, a young one and every file's blob stay.
     */
    @Test
    void removesOrphanBlobsSoonAfterStart() throws Exception {
        create("kept.txt", "kept");
        server.close();
        Path files = data.resolve("s3").resolve("hello-serverless-local").resolve("files");
        Path old = Files.writeString(files.resolve("0".repeat(31) + "1"), "left by a failed write");
        Files.setLastModifiedTime(old, FileTime.from(Instant.now().minus(Duration.ofHours(2))));
        Path young = Files.writeString(files.resolve("0".repeat(31) + "2"), "a write maybe in flight");

        server = LocalServer.start(LocalOptions.parse(new String[] {"--port=0", "--data-dir=" + data}, Map.of()));
        client = client("TLSv1.2", "TLSv1.3");
        long deadline = System.nanoTime() + LocalServer.PURGE_DELAY.plusSeconds(30).toNanos();
        while (Files.exists(old) && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }

        assertFalse(Files.exists(old), "the old orphan is removed");
        assertTrue(Files.exists(young), "a young orphan is kept");
        assertEquals("kept", get("kept.txt").body());
    }

    @Test
    void keepsItsDataAcrossARestart() throws Exception {
        create("survivor.txt", "still here");
        server.close();

        server = LocalServer.start(LocalOptions.parse(new String[] {"--port=0", "--data-dir=" + data}, Map.of()));
        client = client("TLSv1.2", "TLSv1.3");

        assertEquals("still here", get("survivor.txt").body());
        assertFalse(Files.notExists(data.resolve("tls").resolve("localhost.p12")));
    }

}
