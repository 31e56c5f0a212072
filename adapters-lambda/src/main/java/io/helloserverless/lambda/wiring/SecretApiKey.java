package io.helloserverless.lambda.wiring;

import io.helloserverless.adapters.webhook.ApiKey;
import io.helloserverless.lambda.secrets.Secrets;
import java.util.Objects;

/** The remote service's API key: the whole string value of a Secrets Manager secret, cached by {@link Secrets}. */
final class SecretApiKey implements ApiKey {

    private final Secrets secrets;
    private final String secretArn;

    SecretApiKey(Secrets secrets, String secretArn) {
        this.secrets = Objects.requireNonNull(secrets, "secrets");
        this.secretArn = Objects.requireNonNull(secretArn, "secretArn");
    }

    @Override
    public String current() {
        return secrets.value(secretArn).strip();
    }

    @Override
    public String refresh() {
        return secrets.refreshed(secretArn).strip();
    }
}
