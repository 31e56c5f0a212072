package io.helloserverless.lambda.secrets;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonParseException;
import io.helloserverless.adapters.postgres.PostgresCredentials;
import io.helloserverless.core.domain.DependencyFailureException;

/**
 * Database credentials kept in a Secrets Manager secret in the shape RDS uses:
 * {@code {"username": "...", "password": "..."}}.
 */
public final class DatabaseSecret implements PostgresCredentials {

    private final Secrets secrets;
    private final String secretArn;

    public DatabaseSecret(Secrets secrets, String secretArn) {
        this.secrets = secrets;
        this.secretArn = secretArn;
    }

    @Override
    public Credentials current() {
        return parse(secrets.value(secretArn));
    }

    @Override
    public Credentials refresh() {
        return parse(secrets.refreshed(secretArn));
    }

    private static Credentials parse(String json) {
        try {
            JsonObject object = JsonParser.parseString(json).getAsJsonObject();
            return new Credentials(object.get("username").getAsString(), object.get("password").getAsString());
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
            // Never the exception itself: Gson's message may quote the secret.
            throw new DependencyFailureException("secrets", "the database secret is not {\"username\",\"password\"} JSON");
        }
    }
}
