package io.helloserverless.adapters.s3;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class S3BlobStoreSettingsTest {

    private final S3BlobStoreSettings aws = S3BlobStoreSettings.forBucket("blobs", "eu-west-1");

    @Test
    void addressesABucketInAwsByHostNameWithBoundedRetries() {
        assertEquals(Optional.empty(), aws.endpointOverride());
        assertFalse(aws.pathStyleAccess());
        assertTrue(aws.maxAttempts() > 1 && aws.maxAttempts() <= 10);
        assertTrue(aws.apiCallAttemptTimeout().compareTo(aws.apiCallTimeout()) <= 0);
    }

    @Test
    void addressesALocalServerByPath() {
        S3BlobStoreSettings local = aws.withLocalEndpoint(URI.create("http://127.0.0.1:9000"));

        assertEquals(Optional.of(URI.create("http://127.0.0.1:9000")), local.endpointOverride());
        assertTrue(local.pathStyleAccess());
    }

    @Test
    void rejectsAnAttemptTimeoutLongerThanTheCallTimeout() {
        assertThrows(IllegalArgumentException.class,
                () -> aws.withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(2), 3));
    }

    @Test
    void rejectsRetriesWithoutBound() {
        assertThrows(IllegalArgumentException.class,
                () -> aws.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1), 100));
        assertThrows(IllegalArgumentException.class,
                () -> aws.withTimeouts(Duration.ofSeconds(5), Duration.ofSeconds(1), 0));
    }
}
