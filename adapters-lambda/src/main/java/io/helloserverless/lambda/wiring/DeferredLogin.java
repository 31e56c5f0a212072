package io.helloserverless.lambda.wiring;

import dagger.Lazy;
import io.helloserverless.lambda.secrets.LoginSecret;
import io.helloserverless.lambda.secrets.LoginSource;
import io.helloserverless.lambda.secrets.Secrets;

/**
 * A {@link LoginSecret} read only when the login is needed (a connection opens): building the
 * database connection, the store or the cache reads no secret (nothing is in a SnapStart snapshot)
 * and builds no HTTP client, and a failure to read it fails only what needed it.
 */
record DeferredLogin(Lazy<Secrets> secrets, String arn) implements LoginSource {
    @Override
    public Login current() {
        return new LoginSecret(secrets.get(), arn).current();
    }

    @Override
    public Login refresh() {
        return new LoginSecret(secrets.get(), arn).refresh();
    }
}
