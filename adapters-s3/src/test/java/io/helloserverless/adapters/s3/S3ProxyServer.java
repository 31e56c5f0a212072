package io.helloserverless.adapters.s3;

import io.helloserverless.embedded.s3.EmbeddedS3;
import java.nio.file.Path;
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

    private final EmbeddedS3 server;

    private S3ProxyServer(EmbeddedS3 server) {
        this.server = server;
    }

    /** Starts on a free port of the loopback interface, keeping the blobs under {@code folder}. */
    static S3ProxyServer start(Path folder) throws Exception {
        return new S3ProxyServer(EmbeddedS3.start(folder, BUCKET, ACCESS_KEY, SECRET_KEY));
    }

    /** Closes the port; what was written stays in the folder. */
    void stop() throws Exception {
        server.stop();
    }

    /** Listens again on the same port, over the same folder. */
    void restart() throws Exception {
        server.restart();
    }

    S3BlobStoreSettings settings() {
        return S3BlobStoreSettings.forBucket(BUCKET, REGION).withLocalEndpoint(server.endpoint());
    }

    AwsCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, SECRET_KEY));
    }
}
