package io.helloserverless.lambda.secrets;

import java.util.Objects;

/**
 * Where a user name and password come from: a Secrets Manager secret ({@link LoginSecret}) in
 * AWS, a fixed login for a local server. It belongs to no dependency: the database and cache
 * modules adapt it to what their adapter asks for.
 */
public interface LoginSource {

    /** The login to use now, cached as the source sees fit. */
    Login current();

    /** The login fetched again, bypassing any cache, because the server refused {@link #current()}. */
    Login refresh();

    /** A login that never changes. */
    static LoginSource fixed(Login login) {
        Objects.requireNonNull(login, "login");
        return new LoginSource() {
            @Override
            public Login current() {
                return login;
            }

            @Override
            public Login refresh() {
                return login;
            }
        };
    }

    record Login(String user, String password) {
        public Login {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }

        /** Keeps the password out of logs and exception messages. */
        @Override
        public String toString() {
            return "Login[user=" + user + ", password=***]";
        }
    }
}
