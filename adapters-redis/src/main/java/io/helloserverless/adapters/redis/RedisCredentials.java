package io.helloserverless.adapters.redis;

import java.util.Objects;
import java.util.Optional;

/**
 * Where the login to Redis comes from (a Secrets Manager secret in the cloud, fixed values in
 * tests). The cache asks for {@link #current()} when it opens its connection, not when it is
 * built, so a SnapStart snapshot carries no login and an unreadable source only fails the cache.
 * When Redis refuses the login ({@code WRONGPASS}, {@code NOAUTH}) the cache asks
 * {@link #refresh()} once and connects again, so a rotated password is picked up without a restart.
 * Either may throw: the cache then fails like on any other Redis failure.
 */
public interface RedisCredentials {

    /** The login to use now, cached as the source sees fit. */
    Login current();

    /** The login fetched again, bypassing any cache, because {@link #current()} was refused. */
    Login refresh();

    /** A login that never changes. */
    static RedisCredentials fixed(Login login) {
        Objects.requireNonNull(login, "login");
        return new RedisCredentials() {
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

    /** An ACL user and its password, or (without a user) an AUTH token. */
    record Login(Optional<String> user, String password) {

        public Login {
            Objects.requireNonNull(user, "user");
            Objects.requireNonNull(password, "password");
        }

        public static Login of(String user, String password) {
            return new Login(Optional.of(user), password);
        }

        /** Keeps the password out of logs and exception messages. */
        @Override
        public String toString() {
            return "Login[user=" + user.orElse("-") + ", password=***]";
        }
    }
}
