package io.helloserverless.adapters.s3;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * An S3-compatible server in this JVM (s3proxy over a folder), with one bucket. It can be
 * stopped and started again on the same port over the same folder, to play an outage.
 */
final class S3ProxyServer {

    static final String BUCKET = "hello-serverless-blobs";
    private static final String REGION = "us-east-1";
    // Signing keys of a throwaway local server, not secrets.
    private static final String ACCESS_KEY = "local-access-key";
    private static final String SECRET_KEY = "local-secret-key";

    private final BlobStore files;
    private URI endpoint;
    private S3Proxy proxy;

    private S3ProxyServer(Path folder) {
        files = new FilesystemNio2BlobStore(folder.toString());
        files.createContainer(BUCKET);
    }

    /** Starts on a free port of the loopback interface, keeping the blobs under {@code folder}. */
    static S3ProxyServer start(Path folder) throws Exception {
        S3ProxyServer server = new S3ProxyServer(folder);
        server.listen(URI.create("http://127.0.0.1:0"));
        server.endpoint = URI.create("http://127.0.0.1:" + server.proxy.getPort());
        return server;
    }

    private void listen(URI address) throws Exception {
        proxy = S3Proxy.builder()
                .blobStore(files)
                .endpoint(address)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .build();
        proxy.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!"STARTED".equals(proxy.getState())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("s3proxy did not start: " + proxy.getState());
            }
            Thread.sleep(10);
        }
    }

    /** Closes the port; what was written stays in the folder. */
    void stop() throws Exception {
        proxy.stop();
    }

    /** Listens again on the same port, over the same folder. */
    void restart() throws Exception {
        listen(endpoint);
    }

    S3BlobStoreSettings settings() {
        return S3BlobStoreSettings.forBucket(BUCKET, REGION).withLocalEndpoint(endpoint);
    }

    AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }
}
