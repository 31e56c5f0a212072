package io.helloserverless.lambda.wiring;

import dagger.Binds;
import dagger.Lazy;
import dagger.Module;
import dagger.Provides;
import dagger.multibindings.IntoSet;
import io.helloserverless.adapters.postgres.PostgresCredentials;
import io.helloserverless.adapters.postgres.PostgresMetadataStore;
import io.helloserverless.adapters.postgres.PostgresSettings;
import io.helloserverless.adapters.postgres.SingleConnection;
import io.helloserverless.core.port.MetadataStore;
import io.helloserverless.core.usecase.CheckHealth;
import io.helloserverless.lambda.secrets.LoginSource;
import io.helloserverless.lambda.secrets.Secrets;
import java.util.Locale;
import java.util.Optional;
import javax.inject.Singleton;

/**
 * The metadata store: one lazily opened connection per execution environment, as the runtime
 * role whose login Secrets Manager holds (or the login the process {@link Overrides overrides}).
 */
@Module(includes = SecretsModule.class)
public interface DatabaseModule {

    @Binds
    MetadataStore metadataStore(PostgresMetadataStore store);

    /** The environment's one connection, apart from the store: the warm-up opens it without loading jOOQ. */
    @Provides
    @Singleton
    static SingleConnection databaseConnection(Config config, Overrides overrides, Lazy<Secrets> secrets) {
        return new SingleConnection(settings(config), postgres(runtimeLogin(config, overrides, secrets)));
    }

    @Provides
    @Singleton
    static PostgresMetadataStore postgresMetadataStore(SingleConnection connection, Resources resources) {
        return resources.add(new PostgresMetadataStore(connection));
    }

    /**
     * At init: the login fetched and the connection opened, with pgjdbc alone (building the store
     * would load jOOQ first, through its table's static fields).
     */
    @Provides
    @IntoSet
    static Warmup.Task connectDatabase(Lazy<SingleConnection> connection) {
        return () -> connection.get().open();
    }

    /** At init, beside {@link #connectDatabase}: jOOQ's path for a lookup loaded, on a connection inside the JVM. */
    @Provides
    @IntoSet
    static Warmup.Task loadQueries(Config config) {
        return () -> PostgresMetadataStore.primeLookup(settings(config));
    }

    @Provides
    @IntoSet
    static CheckHealth.Dependency databaseHealth(PostgresMetadataStore store) {
        return new CheckHealth.Dependency("database", true, store.healthProbe());
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

    /** The runtime role's login: the secret {@code DB_SECRET_ARN} names, unless overridden. */
    static LoginSource runtimeLogin(Config config, Overrides overrides, Lazy<Secrets> secrets) {
        return login(overrides.databaseLogin(), config.requireDatabase().secretArn(), "DB_SECRET_ARN", secrets);
    }

    /** The migration role's login: the secret {@code DB_ADMIN_SECRET_ARN} names, unless overridden. */
    static LoginSource migrationLogin(Config config, Overrides overrides, Lazy<Secrets> secrets) {
        return login(overrides.migrationLogin(), config.requireDatabase().adminSecretArn(), "DB_ADMIN_SECRET_ARN", secrets);
    }

    private static LoginSource login(Optional<LoginSource.Login> fixed, Optional<String> arn, String variable,
                                     Lazy<Secrets> secrets) {
        if (fixed.isPresent()) {
            return LoginSource.fixed(fixed.get());
        }
        return new DeferredLogin(secrets, arn.orElseThrow(
                () -> new IllegalStateException("environment variable " + variable + " is not set")));
    }

    /** What the PostgreSQL adapter asks for, from a login source. */
    static PostgresCredentials postgres(LoginSource source) {
        return new PostgresCredentials() {
            @Override
            public Credentials current() {
                LoginSource.Login login = source.current();
                return new Credentials(login.user(), login.password());
            }

            @Override
            public Credentials refresh() {
                LoginSource.Login login = source.refresh();
                return new Credentials(login.user(), login.password());
            }
        };
    }
}
