package io.helloserverless.adapters.s3;

import static io.helloserverless.core.testing.TestFiles.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.ContentPolicy;
import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.domain.TextContent;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** The server goes away, or hangs: calls fail fast and cleanly, and no torn blob is left behind. */
class S3BlobStoreOutageIT {

    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration ATTEMPT_TIMEOUT = Duration.ofMillis(500);
    private static final int ATTEMPTS = 3;
    // Thread scheduling and class loading on a busy 2-core machine, not the SDK's doing.
    private static final Duration SLACK = Duration.ofSeconds(1);

    @TempDir
    Path folder;
    private S3ProxyServer server;
    private S3BlobStore store;

    @BeforeEach
    void startServer() throws Exception {
        server = S3ProxyServer.start(folder);
        store = S3BlobStore.create(settings(server.settings()), server.credentials());
    }

    @AfterEach
    void stopServer() throws Exception {
        server.stop();
    }

    private static S3BlobStoreSettings settings(S3BlobStoreSettings local) {
        return local.withTimeouts(CALL_TIMEOUT, ATTEMPT_TIMEOUT, ATTEMPTS);
    }

    @Test
    void failsPutsAndGetsWithinTheCallTimeoutWhileTheServerIsDown() throws Exception {
        BlobKey written = BlobKeys.newKey();
        store.put(written, text("written before the outage"));
        BlobKey refused = BlobKeys.newKey();

        server.stop();

        assertFailsWithinTheCallTimeout("put, server down", () -> store.put(refused, text("refused")));
        assertFailsWithinTheCallTimeout("get, server down", () -> store.get(written));
        assertFailsWithinTheCallTimeout("delete, server down", () -> store.delete(written));
        assertFailsWithinTheCallTimeout("health probe, server down", () -> store.healthProbe().probe());

        server.restart();

        assertEquals(Optional.empty(), store.get(refused));
        assertEquals(Optional.of(text("written before the outage")), store.get(written));
    }

    @Test
    void leavesEveryBlobAbsentOrCompleteWhenTheServerStopsDuringWrites() throws Exception {
        TextContent large = largest();
        Map<BlobKey, Boolean> acknowledged = new LinkedHashMap<>();
        CountDownLatch firstWritten = new CountDownLatch(1);
        CompletableFuture<Void> writes = CompletableFuture.runAsync(() -> {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            for (int i = 0; i < 200 && System.nanoTime() < deadline; i++) {
                BlobKey key = BlobKeys.newKey();
                try {
                    store.put(key, large);
                    acknowledged.put(key, true);
                    firstWritten.countDown();
                } catch (DependencyFailureException e) {
                    acknowledged.put(key, false);
                    return;
                }
            }
        });
        assertTrue(firstWritten.await(10, TimeUnit.SECONDS), "no write went through before the outage");

        server.stop();
        writes.get(60, TimeUnit.SECONDS);
        server.restart();

        assertTrue(acknowledged.containsValue(false), "the outage did not interrupt any write");
        for (Map.Entry<BlobKey, Boolean> write : acknowledged.entrySet()) {
            Optional<TextContent> stored = store.get(write.getKey());
            if (write.getValue()) {
                assertEquals(Optional.of(large), stored, "an acknowledged write is lost or altered");
            } else {
                assertTrue(stored.isEmpty() || stored.get().equals(large), "a failed write left a torn blob");
            }
        }
        System.out.printf("[outage] %d writes acknowledged before the server stopped, then 1 failed%n",
                acknowledged.size() - 1);
    }

    @Test
    void givesUpWithinTheCallTimeoutOnAServerThatNeverAnswers() throws Exception {
        // The kernel completes the TCP handshake into the backlog; nobody ever reads the request.
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            URI endpoint = URI.create("http://127.0.0.1:" + silent.getLocalPort());
            S3BlobStore hanging = S3BlobStore.create(
                    settings(server.settings().withLocalEndpoint(endpoint)), server.credentials());

            assertFailsWithinTheCallTimeout("put, server silent", () -> hanging.put(BlobKeys.newKey(), text("lost")));
            assertFailsWithinTheCallTimeout("get, server silent", () -> hanging.get(BlobKeys.newKey()));
        }
    }

    private static TextContent largest() {
        byte[] bytes = new byte[ContentPolicy.DEFAULT_MAX_BYTES];
        Arrays.fill(bytes, (byte) 'x');
        return TextContent.of(bytes, ContentPolicy.defaults());
    }

    private static void assertFailsWithinTheCallTimeout(String what, Executable call) {
        long started = System.nanoTime();
        DependencyFailureException failure = assertThrows(DependencyFailureException.class, call, what);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.printf("[outage] %s: failed in %d ms (call timeout %d ms, %d attempts of %d ms)%n",
                what, took.toMillis(), CALL_TIMEOUT.toMillis(), ATTEMPTS, ATTEMPT_TIMEOUT.toMillis());
        assertEquals("blob store", failure.dependency());
        assertFalse(took.compareTo(CALL_TIMEOUT.plus(SLACK)) > 0, what + " took " + took.toMillis() + " ms");
    }
}
