package io.helloserverless.lambda.wiring;

import dagger.Binds;
import dagger.Lazy;
import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoSet;
import io.helloserverless.adapters.postgres.PostgresCredentials;
import io.helloserverless.adapters.postgres.PostgresMetadataStore;
import io.helloserverless.adapters.postgres.PostgresSettings;
import io.helloserverless.core.port.MetadataStore;
import io.helloserverless.lambda.secrets.LoginSecret;
import io.helloserverless.lambda.secrets.Secrets;
import java.util.Locale;
import javax.inject.Singleton;

/**
 * The metadata store: one lazily opened connection per execution environment, as the runtime
 * role whose credentials Secrets Manager holds (fixed credentials only on the laptop).
 */
@Module(includes = SecretsModule.class)
public interface DatabaseModule {

    @Binds
    MetadataStore metadataStore(PostgresMetadataStore store);

    @Provides
    @Singleton
    static PostgresMetadataStore postgresMetadataStore(Config config, Lazy<Secrets> secrets, Resources resources) {
        return resources.add(PostgresMetadataStore.create(settings(config), credentials(config, secrets, false)));
    }

    /** At init: jOOQ loaded and the connection opened, by one {@code select 1}. */
    @Provides
    @IntoSet
    static Warmup.Task connectDatabase(Lazy<PostgresMetadataStore> store) {
        return () -> store.get().healthProbe().probe();
    }

    /** At init, beside {@link #connectDatabase}: Secrets Manager's client built and the runtime role's login fetched. */
    @Provides
    @IntoSet
    static Warmup.Task fetchDatabaseLogin(Config config, Lazy<Secrets> secrets) {
        return () -> credentials(config, secrets, false).current();
    }

    /**
     * For a SnapStart snapshot: every statement of the store run against jOOQ's in-JVM connection,
     * then the store's connection closed; it reopens on the next query.
     */
    @Provides
    @IntoSet
    static Priming database(Config config, Lazy<PostgresMetadataStore> store) {
        return new Priming() {
            @Override
            public void prime() {
                PostgresMetadataStore.prime(settings(config));
            }

            @Override
            public void release() {
                store.get().close();
            }
        };
    }

    static PostgresSettings settings(Config config) {
        Config.Database db = config.requireDatabase();
        return PostgresSettings.of(db.host(), db.port(), db.name())
                .withSsl(PostgresSettings.SslMode.valueOf(db.sslMode().toUpperCase(Locale.ROOT).replace('-', '_')),
                        db.sslRootCert())
                .withTimeouts(Timeouts.DATABASE_CONNECT, Timeouts.DATABASE_SOCKET, Timeouts.DATABASE_STATEMENT);
    }

    /** The runtime role's credentials, or with {@code admin} the migration role's. */
    static PostgresCredentials credentials(Config config, Lazy<Secrets> secrets, boolean admin) {
        Config.Database db = config.requireDatabase();
        if (config.localDatabaseLogin().isPresent()) {
            Config.Login login = config.localDatabaseLogin().get();
            return PostgresCredentials.fixed(new PostgresCredentials.Credentials(login.user(), login.password()));
        }
        String variable = admin ? "DB_ADMIN_SECRET_ARN" : "DB_SECRET_ARN";
        String arn = (admin ? db.adminSecretArn() : db.secretArn())
                .orElseThrow(() -> new IllegalStateException("environment variable " + variable + " is not set"));
        return new DeferredLogin(secrets, arn);
    }

    /**
     * A {@link LoginSecret} whose Secrets Manager client is built on first use, so that building
     * the store (loading jOOQ) does not wait for the SDK: the warm-up does both side by side.
     */
    record DeferredLogin(Lazy<Secrets> secrets, String arn) implements PostgresCredentials {
        @Override
        public Credentials current() {
            return new LoginSecret(secrets.get(), arn).current();
        }

        @Override
        public Credentials refresh() {
            return new LoginSecret(secrets.get(), arn).refresh();
        }
    }
}
