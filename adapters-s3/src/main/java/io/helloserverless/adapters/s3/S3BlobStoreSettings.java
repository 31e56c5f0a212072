package io.helloserverless.adapters.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the blobs live and how long a call may take. Credentials are not settings: in AWS they
 * come from the SDK's default provider chain, and a local server's are passed to
 * {@link S3BlobStore#create(S3BlobStoreSettings, software.amazon.awssdk.auth.credentials.AwsCredentialsProvider)}.
 *
 * @param endpointOverride  a local S3-compatible server; empty in AWS
 * @param pathStyleAccess   bucket in the path rather than the host name, which local servers need
 * @param apiCallTimeout    the whole call, retries included
 * @param apiCallAttemptTimeout one attempt, also used as the connect and socket read timeout
 * @param maxAttempts       the first attempt and its retries
 */
public record S3BlobStoreSettings(
        String bucket,
        String region,
        Optional<URI> endpointOverride,
        boolean pathStyleAccess,
        Duration apiCallTimeout,
        Duration apiCallAttemptTimeout,
        int maxAttempts) {

    // Well inside a Lambda timeout of 10 s or more: a 1 MiB object takes tens of milliseconds.
    private static final Duration DEFAULT_API_CALL_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    private static final int DEFAULT_MAX_ATTEMPTS = 3;
    private static final int MAX_ATTEMPTS_CEILING = 10;

    public S3BlobStoreSettings {
        Objects.requireNonNull(bucket, "bucket");
        Objects.requireNonNull(region, "region");
        Objects.requireNonNull(endpointOverride, "endpointOverride");
        Objects.requireNonNull(apiCallTimeout, "apiCallTimeout");
        Objects.requireNonNull(apiCallAttemptTimeout, "apiCallAttemptTimeout");
        if (bucket.isBlank() || region.isBlank()) {
            throw new IllegalArgumentException("bucket and region must not be blank");
        }
        if (!apiCallAttemptTimeout.isPositive() || apiCallTimeout.compareTo(apiCallAttemptTimeout) < 0) {
            throw new IllegalArgumentException(
                    "timeouts must be positive, and the call timeout at least the attempt timeout");
        }
        if (maxAttempts < 1 || maxAttempts > MAX_ATTEMPTS_CEILING) {
            throw new IllegalArgumentException("maxAttempts must be 1.." + MAX_ATTEMPTS_CEILING);
        }
    }

    /** A bucket in AWS, with the default timeouts and retries. */
    public static S3BlobStoreSettings forBucket(String bucket, String region) {
        return new S3BlobStoreSettings(bucket, region, Optional.empty(), false,
                DEFAULT_API_CALL_TIMEOUT, DEFAULT_ATTEMPT_TIMEOUT, DEFAULT_MAX_ATTEMPTS);
    }

    /** The same, on an S3-compatible server at {@code endpoint}, addressed path-style. */
    public S3BlobStoreSettings withLocalEndpoint(URI endpoint) {
        return new S3BlobStoreSettings(bucket, region, Optional.of(endpoint), true,
                apiCallTimeout, apiCallAttemptTimeout, maxAttempts);
    }

    public S3BlobStoreSettings withTimeouts(Duration apiCall, Duration attempt, int attempts) {
        return new S3BlobStoreSettings(bucket, region, endpointOverride, pathStyleAccess,
                apiCall, attempt, attempts);
    }
}
