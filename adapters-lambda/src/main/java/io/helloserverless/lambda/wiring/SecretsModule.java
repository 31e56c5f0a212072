package io.helloserverless.lambda.wiring;

import dagger.Lazy;
import dagger.Module;
import dagger.Provides;
import dagger.multibindings.ElementsIntoSet;
import io.helloserverless.core.usecase.CheckHealth;
import dagger.multibindings.IntoSet;
import io.helloserverless.lambda.metrics.DependencyTimes;
import io.helloserverless.lambda.secrets.Secrets;
import io.helloserverless.lambda.secrets.SecretsManagerApi;
import java.time.Duration;
import java.util.Set;
import javax.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * Secrets Manager's {@code GetSecretValue}, signed with the SDK's signer and sent by its
 * URL-connection client (no service client: see ADR 0017), built once per execution environment,
 * only by functions that read secrets.
 */
@Module
public interface SecretsModule {

    /** Long enough to spare the API on a warm function, short enough to follow a rotation soon. */
    Duration SECRET_TTL = Duration.ofMinutes(5);

    @Provides
    @Singleton
    static Secrets secrets(Config config, Overrides overrides, DependencyTimes times, Resources resources) {
        // In AWS the SDK's default chain finds the function role's credentials (with their session token).
        AwsCredentialsProvider credentials = overrides.awsKeys()
                .<AwsCredentialsProvider>map(keys -> StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(keys.user(), keys.password())))
                .orElseGet(() -> DefaultCredentialsProvider.builder().build());
        var http = resources.add(UrlConnectionHttpClient.builder()
                .connectionTimeout(Timeouts.SECRETS_CONNECT)
                .socketTimeout(Timeouts.SECRETS_CALL)
                .build());
        SecretsManagerApi api = new SecretsManagerApi(
                config.secretsEndpoint().orElseGet(() -> SecretsManagerApi.regionalEndpoint(config.region())),
                config.region(), credentials, http, Timeouts.SECRETS_CALL);
        return new Secrets(api, SECRET_TTL, times);
    }

    /** Required when the database login is a secret: without it no connection can be opened. */
    @Provides
    @ElementsIntoSet
    static Set<CheckHealth.Dependency> secretsHealth(Config config, Overrides overrides, Lazy<Secrets> secrets) {
        if (overrides.databaseLogin().isPresent()) {
            return Set.of();
        }
        return config.database().flatMap(Config.Database::secretArn)
                .map(arn -> Set.of(new CheckHealth.Dependency("secrets", true, () -> secrets.get().refreshed(arn))))
                .orElse(Set.of());
    }

    /**
     * For a SnapStart snapshot: a made-up login read through a call answered inside the JVM, the
     * real one built (it resolves no credentials until its first call), then every secret value
     * kept forgotten; the next use fetches it again.
     */
    @Provides
    @IntoSet
    static Priming secretValues(Lazy<Secrets> secrets) {
        return new Priming() {
            @Override
            public void prime() {
                Secrets.prime();
                secrets.get();
            }

            @Override
            public void release() {
                secrets.get().forget();
            }
        };
    }
}
