package io.helloserverless.adapters.s3;

import io.helloserverless.core.domain.BlobKey;
import io.helloserverless.core.domain.ETag;
import io.helloserverless.core.domain.DependencyFailureException;
import io.helloserverless.core.domain.TextContent;
import io.helloserverless.core.port.BlobStore;
import io.helloserverless.core.port.HealthProbe;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The blob store on S3. Each object carries the hex SHA-256 of its bytes in user metadata; S3
 * verifies the same digest on upload, and every read recomputes it, so a blob altered at rest
 * is reported as a failure rather than served.
 */
public final class S3BlobStore implements BlobStore {

    static final String DEPENDENCY = "blob store";
    static final String SHA256_METADATA = "sha256";
    static final String CONTENT_TYPE = "text/plain; charset=utf-8";
    /** Where every {@link BlobKey} lives. */
    static final String KEY_PREFIX = "files/";

    private final S3Client s3;
    private final String bucket;

    /** Over a client built elsewhere; the caller keeps ownership of it. */
    public S3BlobStore(S3Client s3, String bucket) {
        this.s3 = Objects.requireNonNull(s3, "s3");
        this.bucket = Objects.requireNonNull(bucket, "bucket");
    }

    /** In AWS: credentials from the SDK's default provider chain (the function's role). */
    public static S3BlobStore create(S3BlobStoreSettings settings) {
        return create(settings, DefaultCredentialsProvider.builder().build());
    }

    public static S3BlobStore create(S3BlobStoreSettings settings, AwsCredentialsProvider credentials) {
        return new S3BlobStore(newClient(settings, credentials), settings.bucket());
    }

    /** A client on the light URL-connection HTTP client; it makes no call until first used. */
    public static S3Client newClient(S3BlobStoreSettings settings, AwsCredentialsProvider credentials) {
        return builder(settings, credentials)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(settings.apiCallAttemptTimeout())
                        .socketTimeout(settings.apiCallAttemptTimeout()))
                .build();
    }

    private static S3ClientBuilder builder(S3BlobStoreSettings settings, AwsCredentialsProvider credentials) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials)
                .forcePathStyle(settings.pathStyleAccess())
                .overrideConfiguration(config -> config
                        .apiCallTimeout(settings.apiCallTimeout())
                        .apiCallAttemptTimeout(settings.apiCallAttemptTimeout())
                        .retryStrategy(retry -> retry.maxAttempts(settings.maxAttempts())));
        settings.endpointOverride().ifPresent(builder::endpointOverride);
        return builder;
    }

    /**
     * Writes, reads and deletes a blob through a client built as {@link #newClient} builds it but
     * answered inside the JVM (signing with made-up keys), so that the SDK's endpoint rules,
     * marshalling, signing, unmarshalling and this store's checksum check are loaded before a
     * SnapStart snapshot. Contacts nothing, and resolves no credentials.
     */
    public static void prime(S3BlobStoreSettings settings) {
        TextContent content = TextContent.ofStored("primed".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        S3ClientBuilder builder = builder(settings.withTimeouts(settings.apiCallTimeout(), settings.apiCallAttemptTimeout(), 1),
                StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")))
                .httpClient(new OfflineHttpClient(200, Map.of("ETag", "\"primed\"", "x-amz-meta-" + SHA256_METADATA,
                        content.sha256(), "Content-Type", CONTENT_TYPE), content.toByteArray()));
        try (S3Client offline = builder.build()) {
            S3BlobStore store = new S3BlobStore(offline, settings.bucket());
            BlobKey key = BlobKey.forRevision(new ETag("0".repeat(32)));
            store.put(key, content);
            store.get(key);
            store.delete(key);
        }
    }

    @Override
    public void put(BlobKey key, TextContent content) {
        String sha256 = content.sha256();
        PutObjectRequest request = PutObjectRequest.builder()
                .bucket(bucket)
                .key(key.value())
                .contentType(CONTENT_TYPE)
                .contentLength((long) content.size())
                .checksumSHA256(Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256)))
                .metadata(Map.of(SHA256_METADATA, sha256))
                .build();
        try {
            s3.putObject(request, RequestBody.fromByteBuffer(content.asByteBuffer()));
        } catch (SdkException e) {
            throw new DependencyFailureException(DEPENDENCY, "could not write blob " + key, e);
        }
    }

    @Override
    public Optional<TextContent> get(BlobKey key) {
        ResponseBytes<GetObjectResponse> object;
        try {
            object = s3.getObjectAsBytes(request -> request.bucket(bucket).key(key.value()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (SdkException e) {
            throw new DependencyFailureException(DEPENDENCY, "could not read blob " + key, e);
        }
        String expected = object.response().metadata().get(SHA256_METADATA);
        if (expected == null) {
            throw new DependencyFailureException(DEPENDENCY, "blob " + key + " carries no checksum");
        }
        TextContent content = TextContent.ofStored(object.asByteArrayUnsafe());
        if (!content.sha256().equals(expected)) {
            throw new DependencyFailureException(DEPENDENCY, "blob " + key + " does not match its checksum");
        }
        return Optional.of(content);
    }

    @Override
    public void delete(BlobKey key) {
        try {
            s3.deleteObject(request -> request.bucket(bucket).key(key.value()));
        } catch (SdkException e) {
            throw new DependencyFailureException(DEPENDENCY, "could not delete blob " + key, e);
        }
    }

    /**
     * ListObjectsV2 under the keys' prefix, from {@code StartAfter} on; S3 lists keys in the
     * ascending order of their UTF-8 bytes and gives each object's {@code LastModified}. Objects
     * whose key is no {@link BlobKey} are skipped, and further pages fetched, until the page is
     * full or the bucket has no more. Needs {@code s3:ListBucket} on the bucket.
     */
    @Override
    public List<StoredBlob> list(Optional<BlobKey> after, int limit) {
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("limit must be between 1 and 1000, S3's largest page");
        }
        List<StoredBlob> page = new ArrayList<>();
        ListObjectsV2Request.Builder request = ListObjectsV2Request.builder()
                .bucket(bucket)
                .prefix(KEY_PREFIX)
                .maxKeys(limit);
        after.ifPresent(key -> request.startAfter(key.value()));
        try {
            ListObjectsV2Response response;
            do {
                response = s3.listObjectsV2(request.build());
                for (S3Object object : response.contents()) {
                    if (page.size() < limit && BlobKey.isBlobKey(object.key())) {
                        page.add(new StoredBlob(new BlobKey(object.key()), object.lastModified()));
                    }
                }
                request.continuationToken(response.nextContinuationToken());
            } while (page.size() < limit && Boolean.TRUE.equals(response.isTruncated()));
        } catch (SdkException e) {
            throw new DependencyFailureException(DEPENDENCY, "could not list blobs", e);
        }
        return page;
    }

    /** Whether the bucket answers, with the same client, credentials and timeouts as the store. */
    public HealthProbe healthProbe() {
        return () -> {
            try {
                s3.headBucket(request -> request.bucket(bucket));
            } catch (SdkException e) {
                throw new DependencyFailureException(DEPENDENCY, "the bucket did not answer", e);
            }
        };
    }
}
