package io.helloserverless.embedded.s3;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;

/**
 * An S3-compatible server (s3proxy) in this JVM on a loopback port, keeping one bucket's blobs
 * in a folder, so they survive a restart. It can be stopped and started again on the same port,
 * which is how tests play an outage.
 */
public final class EmbeddedS3 implements AutoCloseable {

    private final BlobStore files;
    private final String accessKey;
    private final String secretKey;
    private final String virtualHost;
    private S3Proxy proxy;
    private URI endpoint;

    private EmbeddedS3(BlobStore files, String accessKey, String secretKey, String virtualHost) {
        this.files = files;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.virtualHost = virtualHost;
    }

    /** Starts on a free port; requests must be signed with the given key pair. */
    public static EmbeddedS3 start(Path folder, String bucket, String accessKey, String secretKey) throws Exception {
        return start(folder, bucket, accessKey, secretKey, null);
    }

    /**
     * The same, also answering virtual-hosted requests ({@code BUCKET.virtualHost:port}), the
     * addressing an SDK client uses by default, and accepting the session token that temporary
     * credentials (a Lambda function's role) send, as S3 itself does.
     */
    public static EmbeddedS3 start(Path folder, String bucket, String accessKey, String secretKey, String virtualHost)
            throws Exception {
        return start(folder, bucket, accessKey, secretKey, virtualHost, false);
    }

    /**
     * The same; with {@code forceWrites} a PUT is answered only once the blob is on disk
     * ({@link ForcingBlobStore}), which survives a crash or a power cut and costs a few milliseconds.
     */
    public static EmbeddedS3 start(Path folder, String bucket, String accessKey, String secretKey, String virtualHost,
                                   boolean forceWrites) throws Exception {
        Files.createDirectories(folder);
        BlobStore files = new FilesystemNio2BlobStore(folder.toString());
        if (forceWrites) {
            files = new ForcingBlobStore(files, folder);
        }
        if (!files.containerExists(bucket)) {
            files.createContainer(bucket);
        }
        EmbeddedS3 server = new EmbeddedS3(files, accessKey, secretKey, virtualHost);
        server.listen(URI.create("http://127.0.0.1:0"));
        server.endpoint = URI.create("http://127.0.0.1:" + server.proxy.getPort());
        return server;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** Closes the port; the blobs stay in the folder. */
    public void stop() throws Exception {
        proxy.stop();
    }

    /** Listens again on the same port, over the same folder; does nothing while it listens. */
    public void restart() throws Exception {
        if (!"STARTED".equals(proxy.getState())) {
            listen(endpoint);
        }
    }

    @Override
    public void close() throws Exception {
        stop();
    }

    private void listen(URI address) throws Exception {
        S3Proxy.Builder builder = S3Proxy.builder();
        if (virtualHost != null) {
            builder.virtualHost(virtualHost).ignoreUnknownHeaders(true);
        }
        proxy = builder
                .blobStore(files)
                .endpoint(address)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, accessKey, secretKey)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the embedded S3 server did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }
}
