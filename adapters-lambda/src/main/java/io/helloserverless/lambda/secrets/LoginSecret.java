package io.helloserverless.lambda.secrets;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonParseException;
import io.helloserverless.core.domain.DependencyFailureException;

/**
 * A login kept in a Secrets Manager secret in the shape RDS uses,
 * {@code {"username": "...", "password": "..."}}: the database's runtime and migration roles, and
 * the cache's RBAC user.
 */
public final class LoginSecret implements LoginSource {

    private final Secrets secrets;
    private final String secretArn;

    public LoginSecret(Secrets secrets, String secretArn) {
        this.secrets = secrets;
        this.secretArn = secretArn;
    }

    @Override
    public Login current() {
        return parse(secrets.value(secretArn));
    }

    @Override
    public Login refresh() {
        return parse(secrets.refreshed(secretArn));
    }

    private static Login parse(String json) {
        try {
            JsonObject object = JsonParser.parseString(json).getAsJsonObject();
            return new Login(object.get("username").getAsString(), object.get("password").getAsString());
        } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException e) {
            // Never the exception itself: Gson's message may quote the secret.
            throw new DependencyFailureException("secrets", "a login secret is not {\"username\",\"password\"} JSON");
        }
    }
}
