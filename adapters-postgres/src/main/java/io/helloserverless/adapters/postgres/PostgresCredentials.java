package io.helloserverless.adapters.postgres;

import java.util.Objects;

/**
 * Where the user name and password of a database role come from (Secrets Manager in the cloud,
 * fixed values on a laptop). A connection that the server refuses for its credentials asks
 * {@link #refresh()} once and tries again, so a rotated secret is picked up without a restart.
 */
public interface PostgresCredentials {

    /** The credentials to use now, cached as the source sees fit. */
    Credentials current();

    /** Fetches the credentials again, bypassing any cache, because {@link #current()} was refused. */
    Credentials refresh();

    /** Credentials that never change. */
    static PostgresCredentials fixed(Credentials credentials) {
        Objects.requireNonNull(credentials, "credentials");
        return new PostgresCredentials() {
            @Override
            public Credentials current() {
                return credentials;
            }

            @Override
            public Credentials refresh() {
                return credentials;
            }
        };
    }

    record Credentials(String user, String password) {

        public Credentials {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }

        /** Keeps the password out of logs and exception messages. */
        @Override
        public String toString() {
            return "Credentials[user=" + user + ", password=***]";
        }
    }
}
