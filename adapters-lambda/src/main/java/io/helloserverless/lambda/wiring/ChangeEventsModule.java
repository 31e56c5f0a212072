package io.helloserverless.lambda.wiring;

import dagger.Lazy;
import dagger.Module;
import dagger.Provides;
import io.helloserverless.adapters.postgres.PostgresChangeEventOutbox;
import io.helloserverless.adapters.webhook.ApiKey;
import io.helloserverless.adapters.webhook.WebhookNotifier;
import io.helloserverless.core.port.ChangeEventOutbox;
import io.helloserverless.core.port.ChangeNotifier;
import io.helloserverless.core.usecase.DispatchChangeEvents;
import io.helloserverless.lambda.secrets.Secrets;
import java.time.Clock;
import java.time.Duration;
import javax.inject.Singleton;

/**
 * The change event dispatcher: the outbox on the database (as the runtime role) and the webhook
 * notifier, whose API key is read from Secrets Manager (unless the process {@link Overrides overrides} it).
 */
@Module(includes = SecretsModule.class)
public interface ChangeEventsModule {

    /** Connecting and sending each bounded, so a batch of 10 takes at most about 2 minutes, well inside the lease. */
    Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    @Provides
    @Singleton
    static ChangeEventOutbox outbox(Config config, Overrides overrides, Lazy<Secrets> secrets, Resources resources) {
        return resources.add(PostgresChangeEventOutbox.create(DatabaseModule.settings(config),
                DatabaseModule.postgres(DatabaseModule.runtimeLogin(config, overrides, secrets))));
    }

    @Provides
    @Singleton
    static ChangeNotifier notifier(Config config, Overrides overrides, Lazy<Secrets> secrets, Resources resources) {
        Config.Webhook webhook = config.requireWebhook();
        ApiKey key = overrides.webhookApiKey().map(ApiKey::fixed).orElseGet(() -> new SecretApiKey(secrets.get(),
                webhook.apiKeySecretArn().orElseThrow(
                        () -> new IllegalStateException("environment variable API_KEY_SECRET_ARN is not set"))));
        return resources.add(WebhookNotifier.create(webhook.url(), key, CONNECT_TIMEOUT, REQUEST_TIMEOUT));
    }

    @Provides
    static DispatchChangeEvents dispatchChangeEvents(ChangeEventOutbox outbox, ChangeNotifier notifier, Clock clock) {
        return new DispatchChangeEvents(outbox, notifier, clock, DispatchChangeEvents.Settings.defaults());
    }
}
