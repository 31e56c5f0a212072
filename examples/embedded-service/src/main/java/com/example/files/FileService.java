package com.example.files;

import io.helloserverless.adapters.postgres.DatabaseMigrator;
import io.helloserverless.adapters.postgres.PostgresCredentials;
import io.helloserverless.adapters.postgres.PostgresMetadataStore;
import io.helloserverless.adapters.postgres.PostgresSettings;
import io.helloserverless.adapters.redis.CacheSettings;
import io.helloserverless.adapters.redis.LocalFileCache;
import io.helloserverless.adapters.redis.RedisSettings;
import io.helloserverless.adapters.redis.TieredFileCache;
import io.helloserverless.adapters.s3.S3BlobStore;
import io.helloserverless.adapters.s3.S3BlobStoreSettings;
import io.helloserverless.core.domain.RetentionPolicy;
import io.helloserverless.core.port.BlobStore;
import io.helloserverless.core.port.FileCache;
import io.helloserverless.core.usecase.CollectOrphanBlobs;
import io.helloserverless.core.usecase.CreateFile;
import io.helloserverless.core.usecase.DeleteFile;
import io.helloserverless.core.usecase.ListFiles;
import io.helloserverless.core.usecase.PurgeExpiredFiles;
import io.helloserverless.core.usecase.ReadFile;
import io.helloserverless.core.usecase.UpdateFile;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A JVM service embedding hello-serverless: the core's use cases wired by hand (no framework) to
 * PostgreSQL for metadata, S3 for contents and a cache. Each use case is a plain object, safe to
 * share between threads.
 */
public final class FileService implements AutoCloseable {

    public final CreateFile create;
    public final ReadFile read;
    public final ListFiles list;
    public final UpdateFile update;
    public final DeleteFile delete;
    /** Run both periodically (hourly, say): expired files, then blobs no file points at. */
    public final PurgeExpiredFiles purge;
    public final CollectOrphanBlobs orphans;

    private final PostgresMetadataStore metadata;

    public FileService(PostgresSettings database, PostgresCredentials login, BlobStore blobs, FileCache cache) {
        Clock clock = Clock.systemUTC();
        RetentionPolicy retention = RetentionPolicy.defaults(); // a file expires 30 days after its last write
        this.metadata = PostgresMetadataStore.create(database, login);
        this.create = new CreateFile(metadata, blobs, cache, clock, retention);
        this.read = new ReadFile(metadata, blobs, cache, clock);
        this.list = new ListFiles(metadata, clock);
        this.update = new UpdateFile(metadata, blobs, cache, clock, retention);
        this.delete = new DeleteFile(metadata, blobs, cache, clock);
        this.purge = new PurgeExpiredFiles(metadata, blobs, clock);
        // The grace must outlast the longest write, from its blob's store to its commit.
        this.orphans = new CollectOrphanBlobs(metadata, blobs, clock, CollectOrphanBlobs.DEFAULT_GRACE);
    }

    /**
     * Creates or updates the schema, as the schema's owner, and the role the service connects
     * as (DML only) with its password. Idempotent: run it at every deploy or start.
     */
    public static int migrate(PostgresSettings database, PostgresCredentials owner, String role, String password) {
        return new DatabaseMigrator(database, owner).migrate(role, password);
    }

    /** No cache: every read goes to PostgreSQL and S3. */
    public static FileCache noCache() {
        return FileCache.NONE;
    }

    /**
     * An in-process cache, right for one long-lived instance: every write of this process
     * invalidates it, so entries may live long. A write keeps a name uncached for the
     * invalidation window, which must outlast the slowest read of the stores.
     */
    public static FileCache inProcessCache() {
        return new LocalFileCache(CacheSettings.defaults()
                .withLocalTtl(Duration.ofMinutes(5))
                .withInvalidationWindow(Duration.ofSeconds(2)), Clock.systemUTC());
    }

    /**
     * In-process in front of Redis, for several instances: the short local TTL (2 s) bounds how
     * long one instance may serve what another replaced; Redis entries live 60 s.
     */
    public static FileCache sharedCache(String redisHost, int redisPort) {
        return new TieredFileCache(CacheSettings.defaults(), RedisSettings.plain(redisHost, redisPort), Clock.systemUTC());
    }

    /** A bucket in AWS, with the credentials of the SDK's default chain (the instance's or task's role). */
    public static BlobStore awsBucket(String bucket, String region) {
        return S3BlobStore.create(S3BlobStoreSettings.forBucket(bucket, region));
    }

    /** A bucket on an S3-compatible server (MinIO, s3proxy, ...), addressed path-style, with a key pair. */
    public static BlobStore s3CompatibleBucket(String bucket, URI endpoint, String accessKey, String secretKey) {
        return S3BlobStore.create(S3BlobStoreSettings.forBucket(bucket, "us-east-1").withLocalEndpoint(endpoint),
                StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey)));
    }

    @Override
    public void close() {
        metadata.close();
    }
}
