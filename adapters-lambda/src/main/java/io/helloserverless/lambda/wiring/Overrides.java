package io.helloserverless.lambda.wiring;

import io.helloserverless.lambda.secrets.LoginSource.Login;
import java.util.Objects;
import java.util.Optional;

/**
 * What a process that builds functions itself (a server running several in one JVM, a test, a
 * benchmark) gives their components in place of what a function otherwise fetches or builds:
 * fixed logins for its own servers instead of secrets and the default AWS credential chain, and
 * one cache shared by every component, so that a write by one invalidates what another reads.
 * A Lambda entry point gives {@link #none()}. The components get it through their factory.
 *
 * <p>{@code cache}: owned by whoever supplies it; a component neither builds nor closes one.
 */
public record Overrides(Optional<Login> databaseLogin, Optional<Login> migrationLogin, Optional<Login> awsKeys,
                        Optional<String> webhookApiKey, Optional<CacheModule.Cache> cache) {

    public Overrides {
        Objects.requireNonNull(databaseLogin, "databaseLogin");
        Objects.requireNonNull(migrationLogin, "migrationLogin");
        Objects.requireNonNull(awsKeys, "awsKeys");
        Objects.requireNonNull(webhookApiKey, "webhookApiKey");
        Objects.requireNonNull(cache, "cache");
    }

    public static Overrides none() {
        return new Overrides(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The runtime role's login instead of the secret {@code DB_SECRET_ARN} names. */
    public Overrides withDatabaseLogin(Login login) {
        return new Overrides(Optional.of(login), migrationLogin, awsKeys, webhookApiKey, cache);
    }

    /** The migration role's login instead of the secret {@code DB_ADMIN_SECRET_ARN} names. */
    public Overrides withMigrationLogin(Login login) {
        return new Overrides(databaseLogin, Optional.of(login), awsKeys, webhookApiKey, cache);
    }

    /** An access key pair for local S3 and Secrets Manager endpoints instead of the default credential chain. */
    public Overrides withAwsKeys(Login keys) {
        return new Overrides(databaseLogin, migrationLogin, Optional.of(keys), webhookApiKey, cache);
    }

    /** The remote service's API key instead of the secret {@code API_KEY_SECRET_ARN} names. */
    public Overrides withWebhookApiKey(String key) {
        return new Overrides(databaseLogin, migrationLogin, awsKeys, Optional.of(key), cache);
    }

    /** One cache for every component built with these overrides ({@link CacheModule.Cache#open}). */
    public Overrides withCache(CacheModule.Cache shared) {
        return new Overrides(databaseLogin, migrationLogin, awsKeys, webhookApiKey, Optional.of(shared));
    }

    @Override
    public String toString() {
        return "Overrides[databaseLogin=" + databaseLogin + ", migrationLogin=" + migrationLogin + ", awsKeys="
                + awsKeys.map(Login::user) + ", webhookApiKey=" + webhookApiKey.map(key -> "***") + ", cache="
                + cache.map(c -> c.files().getClass().getSimpleName()) + "]";
    }
}
