package io.helloserverless.lambda.wiring;

import dagger.Lazy;
import dagger.Module;
import dagger.Provides;
import io.helloserverless.adapters.postgres.DatabaseMigrator;
import io.helloserverless.adapters.postgres.PostgresSettings;
import io.helloserverless.lambda.secrets.LoginSource;
import io.helloserverless.lambda.secrets.Secrets;

/** The migrator, connected as the migration role, and the runtime role it sets up. */
@Module(includes = SecretsModule.class)
public interface MigrationModule {

    /** One migration run: migrations applied as the owner, the runtime role given its credentials. */
    record Migration(DatabaseMigrator migrator, LoginSource runtimeRole) {
        public int run() {
            LoginSource.Login runtime = runtimeRole.refresh();
            return migrator.migrate(runtime.user(), runtime.password());
        }
    }

    @Provides
    static Migration migration(Config config, Overrides overrides, Lazy<Secrets> secrets) {
        return new Migration(
                new DatabaseMigrator(settings(config),
                        DatabaseModule.postgres(DatabaseModule.migrationLogin(config, overrides, secrets))),
                DatabaseModule.runtimeLogin(config, overrides, secrets));
    }

    /** The request path's database settings, but minutes for a statement: a migration may build an index. */
    static PostgresSettings settings(Config config) {
        return DatabaseModule.settings(config)
                .withTimeouts(Timeouts.DATABASE_CONNECT, Timeouts.MIGRATION_SOCKET, Timeouts.MIGRATION_STATEMENT);
    }
}
