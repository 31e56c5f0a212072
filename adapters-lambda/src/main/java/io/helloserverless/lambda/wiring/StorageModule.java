package io.helloserverless.lambda.wiring;

import dagger.Binds;
import dagger.Lazy;
import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoSet;
import io.helloserverless.adapters.s3.S3BlobStore;
import io.helloserverless.adapters.s3.S3BlobStoreSettings;
import io.helloserverless.core.port.BlobStore;
import io.helloserverless.core.usecase.CheckHealth;
import javax.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/** The blob store: the function's bucket in AWS, or a local S3-compatible server. */
@Module
public interface StorageModule {

    @Binds
    BlobStore blobStore(S3BlobStore store);

    /** At init: the S3 client built (it connects nothing until used). */
    @Provides
    @IntoSet
    static Warmup.Task buildStorageClient(Lazy<S3BlobStore> store) {
        return store::get;
    }

    /**
     * For a SnapStart snapshot: a put, get and delete run through an S3 client answered inside the
     * JVM. The store's own client holds no connection of its own to close (see docs/adr/0015).
     */
    @Provides
    @IntoSet
    static Priming storage(Config config, Lazy<S3BlobStore> store) {
        return new Priming() {
            @Override
            public void prime() {
                S3BlobStore.prime(settings(config));
                store.get();
            }

            @Override
            public void release() {
            }
        };
    }

    @Provides
    @IntoSet
    static CheckHealth.Dependency storageHealth(S3BlobStore store) {
        return new CheckHealth.Dependency("storage", true, store.healthProbe());
    }

    @Provides
    @Singleton
    static S3BlobStore s3BlobStore(Config config, Overrides overrides, Resources resources) {
        Config.Storage storage = config.requireStorage();
        S3BlobStoreSettings settings = settings(config);
        AwsCredentialsProvider credentials = overrides.awsKeys()
                .<AwsCredentialsProvider>map(keys -> StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(keys.user(), keys.password())))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
        return new S3BlobStore(resources.add(S3BlobStore.newClient(settings, credentials)), storage.bucket());
    }

    private static S3BlobStoreSettings settings(Config config) {
        Config.Storage storage = config.requireStorage();
        S3BlobStoreSettings settings = S3BlobStoreSettings.forBucket(storage.bucket(), config.region())
                .withTimeouts(Timeouts.STORAGE_CALL, Timeouts.STORAGE_ATTEMPT, Timeouts.STORAGE_ATTEMPTS);
        return storage.endpoint().map(settings::withLocalEndpoint).orElse(settings);
    }
}
