package io.helloserverless.lambda.wiring;

import dagger.Lazy;
import dagger.Module;
import dagger.Provides;
import dagger.multibindings.ElementsIntoSet;
import io.helloserverless.core.usecase.CheckHealth;
import dagger.multibindings.IntoSet;
import io.helloserverless.lambda.metrics.DependencyTimes;
import io.helloserverless.lambda.secrets.Secrets;
import java.time.Duration;
import java.util.Set;
import javax.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClientBuilder;

/** The Secrets Manager client, built once per execution environment, only by functions that read secrets. */
@Module
public interface SecretsModule {

    /** Long enough to spare the API on a warm function, short enough to follow a rotation soon. */
    Duration SECRET_TTL = Duration.ofMinutes(5);

    @Provides
    @Singleton
    static Secrets secrets(Config config, Overrides overrides, DependencyTimes times, Resources resources) {
        SecretsManagerClientBuilder builder = builder(config)
                .httpClientBuilder(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Timeouts.SECRETS_CONNECT)
                        .socketTimeout(Timeouts.SECRETS_CALL));
        // In AWS the SDK's default chain finds the function role's credentials.
        overrides.awsKeys().ifPresent(keys -> builder.credentialsProvider(StaticCredentialsProvider.create(
                AwsBasicCredentials.create(keys.user(), keys.password()))));
        return new Secrets(resources.add(builder.build()), SECRET_TTL, times);
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
     * For a SnapStart snapshot: a made-up login read through a client answered inside the JVM,
     * the real client built (it resolves no credentials until its first call), then every secret
     * value kept forgotten; the next use fetches it again.
     */
    @Provides
    @IntoSet
    static Priming secretValues(Config config, Lazy<Secrets> secrets) {
        return new Priming() {
            @Override
            public void prime() {
                Secrets.prime(builder(config));
                secrets.get();
            }

            @Override
            public void release() {
                secrets.get().forget();
            }
        };
    }

    private static SecretsManagerClientBuilder builder(Config config) {
        SecretsManagerClientBuilder builder = SecretsManagerClient.builder()
                .region(Region.of(config.region()))
                .overrideConfiguration(c -> c.apiCallTimeout(Timeouts.SECRETS_CALL));
        config.secretsEndpoint().ifPresent(builder::endpointOverride);
        return builder;
    }
}
